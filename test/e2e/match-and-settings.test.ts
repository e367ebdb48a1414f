import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot } from './browser.ts';
import { addApplication, addResume, checkA11y, draftDocuments, nav, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

/** A posting with a requirements list the offline analysis reads: some met, some missing. */
const POSTING =
  'We are hiring a backend engineer to build our payments platform.\n\nRequirements:\n- 5+ years of TypeScript and PostgreSQL\n- Experience leading a team\n- Kafka and Kubernetes\n\nNice to have:\n- Go';
const INVENTED = 'Staff Engineer at Globex Corporation (2025–2026), leading 40 engineers.';

describe('match analysis, grounding flags and AI settings in Chromium (pglite, offline engine)', () => {
  const suite = browserSuite();

  test('when a user drafts and then invents an employer in the tailored resume, then the match shows before and after with evidence and the comparison flags that line with its reason', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'matcher@example.com');
    await addResume(page, 'Main resume');
    await addApplication(page, 'Acme', 'Backend Engineer', POSTING);

    // Before drafting: the resume's own analysis, nothing tailored yet.
    const panel = page.getByTestId('match-panel');
    await panel.waitFor();
    const before = page.getByTestId('match-before');
    assert.match((await before.getByTestId('match-score').textContent()) ?? '', /^\d+$/);
    assert.equal(await page.getByTestId('match-after').count(), 0);

    // Draft with the offline engine; the panel refreshes when the tailored resume is saved.
    await draftDocuments(page);
    const after = page.getByTestId('match-after');
    await after.waitFor();
    assert.match((await after.getByTestId('match-score').textContent()) ?? '', /^\d+$/);
    assert.match((await page.getByTestId('match-summary').textContent()) ?? '', /version 1/);
    // Requirements grouped, with the resume's lines quoted as evidence.
    // TypeScript/PostgreSQL, and "leading a team" from "Led a team" (the same stem).
    await before.getByRole('heading', { name: 'Met (2)' }).waitFor();
    await before.getByRole('heading', { name: /Missing \(\d+\)/ }).waitFor();
    assert.match((await before.getByTestId('missing-keywords').textContent()) ?? '', /kafka/);
    const evidence = before.getByRole('list', { name: 'Evidence from the resume' }).first();
    assert.match((await evidence.textContent()) ?? '', /TypeScript|PostgreSQL/);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, '30-match-analysis');
    await checkA11y(page, 'workspace with the match analysis');

    // Edit the tailored resume: add an employer the source resume never mentions.
    await page.getByRole('tab', { name: 'Tailored resume' }).click();
    await page.getByText(/Version 1 · saved/).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByLabel('Tailored resume (Markdown)');
    await editor.fill(`${await editor.inputValue()}\n- ${INVENTED}\n`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Version 2 · saved/).waitFor();
    await page.getByTestId('match-summary').filter({ hasText: 'version 2' }).waitFor();

    // The comparison flags exactly that line, in words.
    await page.getByRole('button', { name: 'Compare with source resume' }).click();
    const flagged = page.getByTestId('ungrounded-line').filter({ hasText: 'Globex' });
    await flagged.waitFor();
    const flagText = (await flagged.getByTestId('ungrounded-flag').textContent()) ?? '';
    assert.match(flagText, /Not in your resume: .*name “Globex/);
    assert.match(
      (await page.getByTestId('grounding-summary').textContent()) ?? '',
      /\d lines? cannot be traced to this resume/,
    );
    // Lines copied from the source are not flagged.
    const flaggedTexts = await page.getByTestId('ungrounded-line').allTextContents();
    assert.ok(
      flaggedTexts.every((t) => !t.includes('Led a team of five engineers')),
      flaggedTexts.join('\n'),
    );
    await page.getByTestId('resume-comparison').scrollIntoViewIfNeeded();
    await screenshot(page, '31-comparison-ungrounded');
    await checkA11y(page, 'resume comparison with ungrounded lines');

    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });

  test('when a user points an OpenAI-compatible provider at a private or unresolvable address, then the reason is shown; a key is kept write-only; offline can be chosen again with the key cleared', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'settings@example.com');
    await nav(page, 'Settings');
    const status = page.getByTestId('ai-status');
    await status.filter({ hasText: 'the server’s default' }).waitFor();
    assert.match((await status.textContent()) ?? '', /offline engine/);

    const provider = page.getByLabel('Provider', { exact: true });
    await provider.selectOption('openai-compatible');
    // Inline validation before any request.
    await page.getByRole('button', { name: 'Save AI provider' }).click();
    await page.getByText('is required for an OpenAI-compatible server').first().waitFor();

    await page.getByLabel('Base URL').fill('http://127.0.0.1:11434/v1');
    await page.getByLabel('Model').fill('llama3.1:8b');
    await page.getByLabel('API key (optional)').fill('sk-local-secret');
    const errorsBefore = watch.consoleErrors.length;
    await page.getByRole('button', { name: 'Save AI provider' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await refused.waitFor();
    assert.match(
      (await refused.textContent()) ?? '',
      /JOBFORGE_ALLOW_PRIVATE_URLS is an operator setting/,
    );
    // The browser logs the refused request (400) itself; that is the only console error.
    assert.deepEqual(
      watch.consoleErrors.slice(errorsBefore).filter((e) => !/status of 400/.test(e)),
      [],
    );
    await screenshot(page, '32-settings-ai-refused');
    await checkA11y(page, 'settings with a refused AI provider');

    // Test connection with a public-looking name that does not resolve: the server says why.
    await page.getByLabel('Base URL').fill('https://llm.unresolvable.example/v1');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor({ timeout: 40_000 });
    assert.match((await result.textContent()) ?? '', /^Connection failed: \S/);
    assert.equal(await status.filter({ hasText: 'the server’s default' }).count(), 1, 'unchanged');

    // Anthropic with a key of one's own: saved, the key only ever said to be set.
    await provider.selectOption('anthropic');
    await page.getByLabel('API key', { exact: true }).fill('sk-ant-e2e-secret');
    await page.getByRole('button', { name: 'Save AI provider' }).click();
    await status.filter({ hasText: 'Anthropic' }).waitFor();
    assert.match((await status.textContent()) ?? '', /your own settings/);
    const keyState = page.getByTestId('api-key-state');
    assert.match((await keyState.textContent()) ?? '', /A key is set/);
    await page.getByRole('button', { name: 'Replace key' }).click();
    assert.equal(await page.getByLabel('New API key').inputValue(), '', 'never read back');
    await page.getByRole('button', { name: 'Keep the stored key' }).click();
    assert.ok(!(await page.content()).includes('sk-ant-e2e-secret'), 'the key is never displayed');

    // Back to offline, saved as the user's own choice, the stored key cleared.
    await provider.selectOption('offline');
    await keyState.getByRole('button', { name: 'Clear key' }).click();
    await keyState.getByText('will be removed when you save').waitFor();
    await page.getByRole('button', { name: 'Save AI provider' }).click();
    await page.getByText('AI provider saved.').waitFor();
    await status.filter({ hasText: 'your own settings' }).waitFor();
    assert.match((await status.textContent()) ?? '', /offline engine/);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await result.filter({ hasText: 'Connection works' }).waitFor();
    assert.equal(await keyState.count(), 0, 'no key stored any more');
    assert.equal(await page.getByText('sk-local-secret').count(), 0);
    assert.ok(!(await page.content()).includes('sk-local-secret'), 'the key is never displayed');
    await screenshot(page, '33-settings-ai-offline');
    await checkA11y(page, 'settings with the offline engine');

    // At 360 px the AI settings fit the page, the OpenAI-compatible fields included.
    await page.setViewportSize({ width: 360, height: 780 });
    await provider.selectOption('openai-compatible');
    await page.getByLabel('Base URL').waitFor();
    await screenshot(page, '34-settings-ai-360');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `settings are ${width}px wide at 360px`);

    assert.deepEqual(
      watch.consoleErrors.filter((e) => !/status of 400/.test(e)),
      [],
      'no console errors but the refused save',
    );
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });
});
