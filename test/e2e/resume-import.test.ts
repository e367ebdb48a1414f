import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeDocx } from '../../src/server/resume-import/resume-files.test-helpers.ts';
import { screenshot } from './browser.ts';
import { checkA11y, nav, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('resume import in Chromium (pglite)', () => {
  const suite = browserSuite();

  test('when a user imports a Word file, reviews it and saves, then the resume appears; a bad file shows its message', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'importer@example.com');
    await nav(page, 'Resumes');
    const picker = page.getByLabel('Resume file to import');

    // A file whose name lies about its bytes: the server's message, no review form.
    await picker.setInputFiles({
      name: 'cv.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('just some text'),
    });
    await page
      .getByRole('alert')
      .getByText(/named "cv\.pdf" but its contents are plain text/)
      .waitFor();
    assert.equal(
      await page.getByRole('heading', { name: 'Review the imported resume' }).count(),
      0,
    );

    // A short Markdown file: reviewed with the import's warning, then discarded.
    await picker.setInputFiles({
      name: 'short.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Short One\n\n- Go\n'),
    });
    await page.getByRole('heading', { name: 'Review the imported resume' }).waitFor();
    await page.getByText(/a resume needs at least 100/).waitFor();
    await page.getByRole('button', { name: 'Discard' }).click();
    await page
      .getByRole('heading', { name: 'Review the imported resume' })
      .waitFor({ state: 'detached' });

    // A DOCX made by another tool than our exporter.
    await picker.setInputFiles({
      name: 'jeanne.docx',
      mimeType: DOCX_TYPE,
      buffer: Buffer.from(await makeDocx()),
    });
    await page.getByRole('heading', { name: 'Review the imported resume' }).waitFor();
    await page.getByText('Read as Word document.', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), 'Jeanne Dupré');
    const content = await page.getByLabel('Content (Markdown)').inputValue();
    assert.match(content, /^## Expérience$/m);
    assert.match(content, /^- Réduit la latence de 40 %$/m);
    assert.match(content, /\[jeanne\.example\.com\]\(https:\/\/jeanne\.example\.com\/\)/);
    const preview = page.getByLabel('Resume preview');
    await preview.getByRole('heading', { name: 'Expérience' }).waitFor();
    await preview.getByRole('link', { name: 'jeanne.example.com' }).waitFor();
    await screenshot(page, 'resume-import-review');
    await checkA11y(page, 'resume import review');

    // The user corrects the name, then saves through the ordinary create endpoint.
    await page.getByLabel('Name').fill('Jeanne — imported');
    await page.getByRole('button', { name: 'Save resume' }).click();
    await page.getByRole('link', { name: 'Jeanne — imported' }).waitFor();
    await page
      .getByRole('heading', { name: 'Review the imported resume' })
      .waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Jeanne — imported' }).click();
    await page.getByText('Réduit la latence de 40 %', { exact: true }).waitFor();

    // The refused upload is the only failed request the browser reports.
    const errors = watch.consoleErrors.filter((e) => !/Failed to load resource.*\b422\b/.test(e));
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });
});
