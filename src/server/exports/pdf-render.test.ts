import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { markdownBlocks } from './markdown-blocks.ts';
import { renderPdf } from './pdf-render.ts';

const run = promisify(execFile);

/** The text of each page, as pdftotext reads it. */
async function pages(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobforge-pdf-'));
  try {
    const file = path.join(dir, 'out.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    return stdout.split('\f').filter((p) => p.trim().length > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('when a heading would fall at the foot of a page, then it moves to the next page with its text', async () => {
  // k filler lines before the heading move it through every position at the foot of page 1.
  for (let k = 28; k <= 40; k++) {
    const filler = Array.from({ length: k }, (_, j) => `Line ${j}: ran the payments ledger.`);
    const md = `${filler.join('\n\n')}\n\n## Experience heading\n\nThe text under the heading.`;
    const texts = await pages(await renderPdf(markdownBlocks(md), { title: 't', author: 'a' }));
    for (const [n, page] of texts.entries()) {
      const lines = page.split('\n').filter((l) => l.trim().length > 0);
      assert.doesNotMatch(
        lines.at(-1) ?? '',
        /Experience heading/,
        `k=${k}: page ${n + 1} ends on a heading`,
      );
    }
    const all = texts.join('\n');
    assert.match(all, /Experience heading\s+The text under the heading/, `k=${k}`);
  }
});

test('when a paragraph is long, then it wraps inside the page and no word is lost', async () => {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
  const pdf = await renderPdf(markdownBlocks(words.join(' ')), { title: 't', author: 'a' });
  const text = (await pages(pdf)).join(' ').replace(/\s+/g, ' ');
  assert.equal(text.trim(), words.join(' '));
});
