import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot } from './browser.ts';
import { addApplication, addResume, checkA11y, draftDocuments, nav, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

const INVENTED = 'Staff Engineer at Globex Corporation (2025–2026), leading 40 engineers.';

describe('AI usage and the daily budget in Chromium (pglite, offline engine)', () => {
  // A budget smaller than one offline draft: the job starts under it and is stopped as its
  // streamed tokens pass it (the budget is checked while streaming, issue 9).
  const suite = browserSuite({ JOBFORGE_DAILY_TOKEN_BUDGET: '100' });

  test('when a user drafts past the daily budget, then the job stops with the budget’s message and shows its tokens without a cost, Settings shows usage of the budget used up, and the next draft is refused with the API’s message', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'budget@example.com');

    // Before any draft: nothing used yet, the whole budget left.
    await nav(page, 'Settings');
    const usage = page.getByTestId('ai-usage');
    await usage
      .filter({ hasText: /^0 of 100 tokens used today, resets at midnight UTC \(.+ your time\)\./ })
      .waitFor();
    assert.equal(await page.getByTestId('ai-budget-left').textContent(), '100 tokens left today.');

    await addResume(page, 'Main resume');
    await addApplication(page, 'Acme', 'Backend Engineer');
    await page.getByRole('button', { name: 'Draft documents' }).click();
    await page.getByRole('button', { name: 'Start drafting' }).click();
    await page
      .getByTestId('draft-summary')
      .filter({ hasText: /^Drafting stopped: / })
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('alert')
      .filter({ hasText: /^Your daily AI budget is used up: [\d,]+ of 100 tokens today/ })
      .waitFor();
    // Tokens in and out; the offline engine costs nothing, so no cost is mentioned.
    const used = page.getByTestId('draft-usage');
    await used.waitFor();
    const usedText = (await used.textContent()) ?? '';
    assert.match(usedText, /^Used [\d,]+ tokens \([\d,]+ in, [\d,]+ out\)\.$/);
    const tokens = Number(/^Used ([\d,]+)/.exec(usedText)![1]!.replace(/,/g, ''));
    assert.ok(tokens > 100, `the draft used ${tokens} tokens`);
    await screenshot(page, '60-draft-usage');

    // Settings: the day's usage against the budget, which is used up.
    await nav(page, 'Settings');
    await usage.filter({ hasText: `${tokens.toLocaleString('en-US')} of 100 tokens` }).waitFor();
    assert.match(
      (await usage.getByRole('alert').textContent()) ?? '',
      /budget is used up: new drafts are refused until it resets/,
    );
    assert.equal(await usage.getByRole('meter', { name: 'Tokens used today' }).count(), 1);
    await usage.scrollIntoViewIfNeeded();
    await screenshot(page, '61-settings-usage-budget');
    await checkA11y(page, 'settings with the daily budget used up');

    // Drafting again is refused: the API's own words, under a heading of their own.
    await page.goBack();
    await page.getByRole('button', { name: 'Draft documents' }).click();
    const errorsBefore = watch.consoleErrors.length;
    await page.getByRole('button', { name: 'Start drafting' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Daily AI budget used up' });
    await refused.waitFor();
    assert.match(
      (await page.getByTestId('budget-message').textContent()) ?? '',
      /^Your daily AI budget is used up: [\d,]+ of 100 tokens today \(UTC\)\. It resets at midnight UTC/,
    );
    await refused.getByRole('link', { name: 'Settings → AI provider' }).waitFor();
    await screenshot(page, '62-draft-budget-refused');
    await checkA11y(page, 'workspace with drafting refused by the budget');
    // The browser logs the refused request (429) itself; that is the only console error.
    assert.deepEqual(
      watch.consoleErrors.slice(errorsBefore).filter((e) => !/status of 429/.test(e)),
      [],
    );
    assert.deepEqual(watch.consoleErrors.slice(0, errorsBefore), [], 'no console errors before');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });
});

describe('the grounding flag in Chromium (pglite, offline engine)', () => {
  const suite = browserSuite();

  test('when the tailored resume names an employer the resume does not, then its tab and panel warn with the count and the warning opens the comparison on that line', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'flag@example.com');
    await addResume(page, 'Main resume');
    await addApplication(page, 'Acme', 'Backend Engineer');
    await draftDocuments(page, { without: ['Cover letter'] });

    // The offline draft comes only from the resume: no warning.
    const tab = page.getByRole('tab', { name: /Tailored resume/ });
    await tab.click();
    await page.getByText(/Version 1 · saved/).waitFor();
    assert.equal(await page.getByTestId('grounding-badge').count(), 0);
    assert.equal(await page.getByTestId('grounding-tab-badge').count(), 0);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByLabel('Tailored resume (Markdown)');
    await editor.fill(`${await editor.inputValue()}\n- ${INVENTED}\n`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Version 2 · saved/).waitFor();

    // The API's stored check flags it: a count on the tab, the warning in the panel.
    const warning = page.getByTestId('grounding-badge').getByRole('button', {
      name: /^\d+ claims? not found in your resume — review before sending$/,
    });
    await warning.waitFor();
    const claims = Number(/^(\d+)/.exec((await warning.textContent()) ?? '')![1]);
    assert.ok(claims >= 1);
    assert.match(
      (await tab.textContent()) ?? '',
      new RegExp(`⚠ ${claims}.*${claims} claims? to review`),
    );
    // Seen from another tab too.
    await page.getByRole('tab', { name: 'Research report' }).click();
    assert.match((await tab.textContent()) ?? '', new RegExp(`⚠ ${claims}`));
    await tab.click();

    await warning.click();
    const region = page.getByRole('region', { name: 'Comparison with the source resume' });
    await region.waitFor();
    const flagged = region.getByTestId('ungrounded-line').filter({ hasText: 'Globex' });
    await flagged.waitFor();
    assert.match(
      (await flagged.getByTestId('ungrounded-flag').textContent()) ?? '',
      /Not in your resume: .*name “Globex/,
    );
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'resume-comparison',
      'focus moves to the comparison',
    );
    await screenshot(page, '63-grounding-flag');
    await checkA11y(page, 'workspace with a flagged tailored resume');
    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });
});
