import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownBlocks, runsText, type Block } from './markdown-blocks.ts';

const shape = (blocks: Block[]) =>
  blocks.map((b) => {
    switch (b.kind) {
      case 'heading':
        return `h${b.level} ${runsText(b.runs)}`;
      case 'paragraph':
        return `p ${runsText(b.runs)}`;
      case 'list-item':
        return `${'  '.repeat(b.depth)}${b.ordered ? `${b.number}.` : '-'} ${runsText(b.runs)}`;
      case 'rule':
        return '---';
    }
  });

test('when Markdown has headings, lists, nesting and a rule, then the blocks keep their order and depth', () => {
  const md =
    '# Title\n\nIntro\nsecond line\n\n#### Deep heading\n\n- one\n  1. sub a\n  2. sub b\n- two\n\n3. three\n4. four\n\n---\n\nEnd';
  assert.deepEqual(shape(markdownBlocks(md)), [
    'h1 Title',
    'p Intro\nsecond line',
    'h3 Deep heading',
    '- one',
    '  1. sub a',
    '  2. sub b',
    '- two',
    '3. three',
    '4. four',
    '---',
    'p End',
  ]);
});

test('when text is bold, italic, a link or code, then the runs carry it and entities are decoded', () => {
  const [p] = markdownBlocks('Tom &amp; Jerry **bold _both_** [site](https://x.test) `a<b` &#233;');
  assert.ok(p?.kind === 'paragraph');
  assert.equal(runsText(p.runs), 'Tom & Jerry bold both site a<b é');
  const both = p.runs.find((r) => r.text === 'both');
  assert.deepEqual([both?.bold, both?.italic], [true, true]);
  assert.equal(p.runs.find((r) => r.text === 'site')?.link, 'https://x.test');
  assert.equal(p.runs.find((r) => r.text === 'a<b')?.code, true);
});

test('when Markdown has a quote, code block, table or task list, then no text is dropped', () => {
  const md =
    '> quoted words\n\n```\nconst x = 1;\n```\n\n| Skill | Years |\n| --- | --- |\n| Go | 5 |\n\n- [x] done thing';
  assert.deepEqual(shape(markdownBlocks(md)), [
    'p quoted words',
    'p const x = 1;',
    'p Skill | Years',
    'p Go | 5',
    '- [x] done thing',
  ]);
});

test(
  'when a document holds raw HTML with a long run of "<" and no ">", then it is kept as text, in linear time',
  { timeout: 30_000 },
  () => {
    const lt = '<'.repeat(100_000);
    assert.deepEqual(shape(markdownBlocks(`<div ${lt}\n\nafter`)), [`p <div ${lt}`, 'p after']);
    assert.deepEqual(shape(markdownBlocks(`<div>${lt}</div>\n\nafter`)), ['p after']);
    assert.deepEqual(shape(markdownBlocks('a <b>bold</b> c')), ['p a bold c']);
  },
);
