import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { renderDocx } from './docx-render.ts';
import { markdownBlocks } from './markdown-blocks.ts';

test('when lists nest, then Word nests them; when a second numbered list starts, then it restarts', async () => {
  const md = '- top\n  - inner\n- next\n\nBetween.\n\n1. a\n2. b\n\nAgain.\n\n1. c\n2. d';
  const docx = await renderDocx(markdownBlocks(md), { title: 't' });
  const { value: html } = await mammoth.convertToHtml({ buffer: docx });
  assert.match(html, /<ul><li>top<ul><li>inner<\/li><\/ul><\/li><li>next<\/li><\/ul>/);
  assert.equal(html.match(/<ol>/g)?.length, 2);
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  const numIds = [...xml.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((m) => m[1]);
  // bullets share one numbering; the two ordered lists get one each.
  assert.equal(new Set(numIds).size, 3, `numIds ${numIds.join(',')}`);
});

test('when a heading is written, then it is a real Heading style kept with the next paragraph', async () => {
  const docx = await renderDocx(markdownBlocks('# One\n\n## Two\n\n### Three\n\ntext'), {
    title: 't',
  });
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  for (const style of ['Heading1', 'Heading2', 'Heading3'])
    assert.match(xml, new RegExp(`<w:pStyle w:val="${style}"/>`));
  assert.equal(xml.match(/<w:keepNext\/>/g)?.length, 3);
});
