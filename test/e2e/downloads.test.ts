import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import JSZip from 'jszip';
import type { Download, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { addApplication, addResume, checkA11y, nav, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

const LETTER =
  '# Dear Acme\n\nI would like to build your payments platform.\n\n- TypeScript\n- PostgreSQL';

/** Clicks and answers the download it started, with its bytes. */
async function download(
  page: Page,
  click: () => Promise<void>,
): Promise<{ d: Download; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await d.path();
  return { d, bytes: fs.readFileSync(file) };
}

describe('downloads in Chromium (pglite)', () => {
  const suite = browserSuite();

  test('when a user downloads a document, the packet, a resume and their data, then the files arrive under the server’s names with the right contents', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'downloader@example.com');
    await addResume(page, 'Main resume');
    await addApplication(page, 'Acme', 'Backend Engineer');

    await page.getByRole('tab', { name: 'Cover letter' }).click();
    await page.getByRole('button', { name: 'Write the cover letter' }).click();
    await page.getByLabel('Cover letter (Markdown)').fill(LETTER);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Version 1 · saved/).waitFor();

    const buttons = page.getByRole('group', { name: 'Download' });
    const pdf = await download(page, () => buttons.getByRole('button', { name: 'PDF' }).click());
    assert.match(pdf.d.suggestedFilename(), /^acme_backend_engineer.*\.pdf$/i);
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');

    const docx = await download(page, () =>
      buttons.getByRole('button', { name: 'Word (.docx)' }).click(),
    );
    assert.match(docx.d.suggestedFilename(), /\.docx$/);
    const word = await JSZip.loadAsync(docx.bytes);
    assert.match((await word.file('word/document.xml')?.async('string')) ?? '', /Dear Acme/);

    const md = await download(page, () =>
      buttons.getByRole('button', { name: 'Markdown' }).click(),
    );
    assert.match(md.d.suggestedFilename(), /\.md$/);
    assert.equal(md.bytes.toString('utf8'), LETTER);
    await checkA11y(page, 'workspace with download buttons');
    await screenshot(page, '40-document-downloads');

    const packet = await download(page, () =>
      page.getByRole('button', { name: 'Download packet (.zip)' }).click(),
    );
    assert.match(packet.d.suggestedFilename(), /\.zip$/);
    const zip = await JSZip.loadAsync(packet.bytes);
    const manifest = JSON.parse((await zip.file('manifest.json')?.async('string')) ?? 'null') as {
      application?: { company_name?: string };
    } | null;
    assert.ok(manifest, 'the packet holds manifest.json');
    assert.match(JSON.stringify(manifest), /Acme/);
    assert.ok(
      Object.keys(zip.files).some((f) => /^documents\/.*cover_letter.*\.pdf$/.test(f)),
      `the cover letter is in the packet: ${Object.keys(zip.files).join(', ')}`,
    );

    await nav(page, 'Resumes');
    await page.getByRole('link', { name: 'Main resume' }).click();
    await page.getByRole('heading', { name: 'Main resume' }).waitFor();
    const resumePdf = await download(page, () =>
      page.getByRole('group', { name: 'Download' }).getByRole('button', { name: 'PDF' }).click(),
    );
    assert.match(resumePdf.d.suggestedFilename(), /\.pdf$/);
    assert.equal(resumePdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    await checkA11y(page, 'resume page with download buttons');

    // Settings' data export goes through the same save as the files above.
    await nav(page, 'Settings');
    const exported = await download(page, () =>
      page.getByRole('button', { name: 'Export my data' }).click(),
    );
    assert.match(exported.d.suggestedFilename(), /^jobforge-export-\d{4}-\d{2}-\d{2}\.json$/);
    assert.match(exported.bytes.toString('utf8'), /Main resume/);

    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });
});
