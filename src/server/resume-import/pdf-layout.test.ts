import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutLines, MAX_LINKS_PER_PAGE } from './pdf-text.ts';

test(
  'when a PDF page holds 20,000 scattered items and 2,000 links, then each lands on its line, in near-linear time',
  { timeout: 60_000 },
  () => {
    // Baselines 5 points apart (more than the 4-point tolerance of 10-point text), given in a
    // shuffled order; every tenth item has a link over it.
    const n = 20_000;
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const items = order.map((i) => ({ str: `w${i}`, x: 100, y: i * 5, width: 20, size: 10 }));
    // A second item on each of the first 100 baselines, within tolerance: it joins that line.
    for (let i = 0; i < 100; i++)
      items.push({ str: `v${i}`, x: 200, y: i * 5 + 0.5, width: 20, size: 10 });
    const links = Array.from({ length: 2_000 }, (_, k) => ({
      url: `https://a.example/${k * 10}`,
      rect: [100, k * 50 + 2, 120, k * 50 + 4] as [number, number, number, number],
    }));
    const lines = layoutLines([{ items, links }]);
    assert.equal(lines.length, n + 1);
    // Top to bottom: the highest baseline first.
    assert.equal(lines[0]!.text, `w${n - 1}`);
    const at = (i: number) => lines[n - 1 - i]!.text;
    assert.equal(at(1), 'w1 v1');
    assert.equal(at(10), '[w10](https://a.example/10) v10');
    assert.equal(at(151), 'w151');
    // Only the first links of a page are read.
    assert.equal(
      at(10 * (MAX_LINKS_PER_PAGE - 1)),
      `[w${10 * (MAX_LINKS_PER_PAGE - 1)}](https://a.example/${10 * (MAX_LINKS_PER_PAGE - 1)})`,
    );
    assert.equal(at(10 * MAX_LINKS_PER_PAGE), `w${10 * MAX_LINKS_PER_PAGE}`);
  },
);
