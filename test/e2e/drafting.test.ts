import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { addApplication, addResume, checkA11y, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

const summary = (page: Page) => page.getByTestId('draft-summary');
const stream = (page: Page, type: string) => page.getByTestId(`stream-${type}`);
const state = (page: Page, type: string) => page.getByTestId(`draft-state-${type}`);

async function startDrafting(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start drafting' }).click();
  await summary(page)
    .filter({ hasText: /Waiting|Drafting/ })
    .waitFor();
}

/** Resolves once the report has streamed some text while the job is still running. */
async function partialText(page: Page): Promise<{ length: number; summary: string }> {
  await page.waitForFunction(
    () =>
      (document.querySelector('[data-testid="stream-research_report"]')?.textContent ?? '') !== '',
  );
  return page.evaluate(() => ({
    length: document.querySelector('[data-testid="stream-research_report"]')!.textContent.length,
    summary: document.querySelector('[data-testid="draft-summary"]')!.textContent,
  }));
}

describe('drafting in Chromium (pglite, offline engine)', () => {
  // Slow enough streaming that "partway through" lasts seconds: reload and cancel land in it.
  const suite = browserSuite({ JOBFORGE_OFFLINE_CHUNK_DELAY_MS: '60' });

  test('when a user drafts documents, then the text streams in, a reload reattaches, all three are saved and the tailored resume diff shows the changes', async () => {
    const watch = await suite.open();
    const { page } = watch;
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/generate'))
        keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await signUp(page, 'drafter@example.com');
    await addResume(page, 'Main resume');
    await addApplication(page, 'Acme', 'Backend Engineer');

    await page.getByRole('button', { name: 'Draft documents' }).click();
    for (const label of ['Research report', 'Tailored resume', 'Cover letter'])
      assert.ok(await page.getByRole('checkbox', { name: label }).isChecked(), label);
    assert.equal(
      await page.getByLabel('From the resume').locator('option:checked').textContent(),
      'Main resume (primary)',
    );
    await startDrafting(page);
    assert.equal(keys.length, 1);
    assert.match(keys[0]!, /^draft-[0-9a-f]{32}$/, 'the start carries an Idempotency-Key');

    // Text appears while the job is still running: it streams, it does not arrive at the end.
    const partial = await partialText(page);
    assert.ok(partial.length > 0);
    assert.match(partial.summary, /Drafting… 0 of 3 saved/);
    assert.equal(await state(page, 'cover_letter').textContent(), 'Waiting');
    await screenshot(page, '20-drafting-streaming');
    await checkA11y(page, 'workspace while drafting');

    // A reload mid-draft reattaches: the panel comes back running, its text replayed.
    await page.reload();
    await summary(page).filter({ hasText: 'Drafting…' }).waitFor();
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid="stream-research_report"]')?.textContent ?? '')
          .length >= n,
      partial.length,
    );

    await summary(page).filter({ hasText: 'Done: 3 of 3 saved' }).waitFor({ timeout: 60_000 });
    for (const t of ['research_report', 'optimized_resume', 'cover_letter'])
      assert.equal(await state(page, t).textContent(), 'Saved', t);
    const streamed = await stream(page, 'cover_letter').textContent();
    await screenshot(page, '21-drafting-done');

    // Each tab has its document, version 1, from the drafting.
    await page.getByRole('tab', { name: 'Cover letter' }).click();
    await page.getByText(/Version 1 · saved/).waitFor();
    await page.getByRole('button', { name: 'Version history' }).click();
    await page.getByText(/^generated ·/).waitFor();
    assert.match(
      (await page.getByRole('region', { name: 'Cover letter', exact: true }).textContent()) ?? '',
      /Acme/,
    );
    assert.ok((streamed ?? '').includes('Acme'), 'the streamed text is the saved letter');

    // The tailored resume beside the source, changes highlighted.
    await page.getByRole('tab', { name: 'Tailored resume' }).click();
    await page.getByRole('button', { name: 'Compare with source resume' }).click();
    const comparison = page.getByTestId('resume-comparison');
    await comparison.getByRole('columnheader', { name: 'Source: Main resume' }).waitFor();
    assert.match((await page.getByTestId('diff-summary').textContent()) ?? '', /\d lines changed/);
    assert.ok((await comparison.locator('tbody ins').count()) > 0, 'additions highlighted');
    await screenshot(page, '22-tailored-resume-diff');
    await checkA11y(page, 'workspace with drafting and the diff');

    // The finished job is not reattached on the next visit.
    await page.reload();
    await page.getByRole('button', { name: 'Draft documents' }).waitFor();
    assert.equal(await page.getByTestId('draft-panel').count(), 0);

    // At 360 px the drafting panel and the diff fit the page.
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByRole('tab', { name: 'Tailored resume' }).click();
    await page.getByRole('button', { name: 'Compare with source resume' }).click();
    await comparison.waitFor();
    await screenshot(page, '23-workspace-360');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `workspace is ${width}px wide at 360px`);

    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });

  test('when a second tab opens the workspace while drafting, then it finds the running job and shows the same live progress', async () => {
    const watch = await suite.open();
    const { page, context } = watch;
    await signUp(page, 'two-tabs@example.com');
    await addResume(page, 'Main resume');
    await addApplication(page, 'Globex', 'Data Engineer');
    await page.getByRole('button', { name: 'Draft documents' }).click();
    await startDrafting(page);
    await partialText(page);

    // A fresh page of the same browser: no sessionStorage of the first tab, only the API's list.
    const second = await context.newPage();
    const secondErrors: string[] = [];
    second.on('console', (m) => {
      if (m.type() === 'error') secondErrors.push(m.text());
    });
    const starts: string[] = [];
    second.on('request', (r) => {
      if (r.method() === 'POST') starts.push(r.url());
    });
    await second.goto(page.url());
    await summary(second).filter({ hasText: 'Drafting…' }).waitFor();
    // Its text streams too, while the job is still running.
    const before = await partialText(second);
    await second.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid="stream-research_report"]')?.textContent ?? '')
          .length > n,
      before.length,
    );
    await checkA11y(second, 'workspace followed from a second tab');
    await screenshot(second, '25-drafting-second-tab');

    // Both tabs end on the same outcome, with the same text.
    for (const p of [page, second])
      await summary(p).filter({ hasText: 'Done: 3 of 3 saved' }).waitFor({ timeout: 60_000 });
    assert.equal(
      await stream(second, 'cover_letter').textContent(),
      await stream(page, 'cover_letter').textContent(),
    );
    assert.deepEqual(
      starts.filter((u) => !u.endsWith('/auth/refresh')),
      [],
      'the second tab started nothing',
    );
    assert.deepEqual(secondErrors, [], 'no console errors in the second tab');
    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    await context.close();
  });

  test('when a user cancels a draft, then it stops, says so, and nothing unfinished is saved', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'canceller@example.com');
    await addResume(page, 'Main resume');
    await addApplication(page, 'Initech', 'Platform Engineer');

    await page.getByRole('button', { name: 'Draft documents' }).click();
    await page.getByRole('checkbox', { name: 'Research report' }).uncheck();
    await page.getByRole('checkbox', { name: 'Tailored resume' }).uncheck();
    await startDrafting(page);
    // Only the cover letter is saved; the report streams first, for it to build on.
    await partialText(page);
    await page.getByText('for the others, not saved').waitFor();
    await page.getByRole('button', { name: 'Cancel drafting' }).click();
    await summary(page).filter({ hasText: 'Cancelled: 0 of 1 saved' }).waitFor();
    assert.equal(await state(page, 'cover_letter').textContent(), 'Cancelled');
    await screenshot(page, '24-drafting-cancelled');

    await page.getByRole('tab', { name: 'Cover letter' }).click();
    await page.getByText('No cover letter yet').waitFor();
    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    await watch.context.close();
  });
});
