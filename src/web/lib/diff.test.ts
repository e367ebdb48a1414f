import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffRows, diffSequences, diffStats, diffWords, MAX_CELLS, type Part } from './diff.ts';

/** Parts as a readable string: changed runs in [brackets]. */
const show = (parts: Part[]) => parts.map((p) => (p.changed ? `[${p.text}]` : p.text)).join('');

describe('diff', () => {
  test('when the texts are equal, then every line is the same and nothing is highlighted', () => {
    const rows = diffRows('a\nb\nc', 'a\nb\nc');
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['same', 'same', 'same'],
    );
    assert.deepEqual(diffStats(rows), { changed: 0, added: 0, removed: 0 });
  });

  test('when lines are inserted and deleted, then they show as added and removed in place', () => {
    const rows = diffRows('# Ada\nold line\nkeep', '# Ada\nkeep\nnew line');
    assert.deepEqual(rows, [
      { kind: 'same', left: '# Ada', right: '# Ada' },
      { kind: 'removed', left: 'old line' },
      { kind: 'same', left: 'keep', right: 'keep' },
      { kind: 'added', right: 'new line' },
    ]);
  });

  test('when a line is edited, then it is one changed row with the changed words highlighted on each side', () => {
    const rows = diffRows(
      'Built payment systems in TypeScript.',
      'Built payment platforms in TypeScript and PostgreSQL.',
    );
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.kind, 'changed');
    if (row.kind !== 'changed') return;
    assert.equal(show(row.left), 'Built payment [systems] in [TypeScript.]');
    assert.equal(show(row.right), 'Built payment [platforms] in [TypeScript and PostgreSQL.]');
  });

  test('when parts are joined, then each side gives back its line exactly (whitespace included)', () => {
    const before = '  - Led  a team\tof five';
    const after = '  - Led a team of seven engineers';
    const { left, right } = diffWords(before, after);
    assert.equal(left.map((p) => p.text).join(''), before);
    assert.equal(right.map((p) => p.text).join(''), after);
    assert.ok(
      !left.some((p) => p.changed && p.text.trim() === ''),
      'whitespace alone is never highlighted',
    );
  });

  test('when more lines are removed than added in one change, then they pair in order and the rest is removed', () => {
    const rows = diffRows('x\none\ntwo\ny', 'x\nOne\ny');
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['same', 'changed', 'removed', 'same'],
    );
    assert.deepEqual(diffStats(rows), { changed: 1, added: 0, removed: 1 });
  });

  test('when line endings differ (CRLF vs LF), then the lines still compare equal', () => {
    assert.deepEqual(
      diffRows('a\r\nb', 'a\nb').map((r) => r.kind),
      ['same', 'same'],
    );
  });

  test('when either side is empty, then the other is all added or all removed', () => {
    assert.deepEqual(
      diffRows('', 'a\nb').map((r) => r.kind),
      ['changed', 'added'],
    );
    assert.deepEqual(diffSequences([], ['a']), [{ op: 'added', b: 'a' }]);
    assert.deepEqual(diffSequences(['a'], []), [{ op: 'removed', a: 'a' }]);
  });

  test('the edit script is a longest common subsequence (classic ABCABBA / CBABAC)', () => {
    const ops = diffSequences([...'ABCABBA'], [...'CBABAC']);
    assert.equal(ops.filter((o) => o.op === 'same').length, 4);
    assert.equal(
      ops
        .filter((o) => o.op !== 'added')
        .map((o) => ('a' in o ? o.a : ''))
        .join(''),
      'ABCABBA',
    );
    assert.equal(
      ops
        .filter((o) => o.op !== 'removed')
        .map((o) => ('b' in o ? o.b : ''))
        .join(''),
      'CBABAC',
    );
  });

  test('when the changed middle is too large to compare, then it shows as replaced, quickly', () => {
    const side = Math.ceil(Math.sqrt(MAX_CELLS)) + 10;
    const a = Array.from({ length: side }, (_, i) => `a${i}`);
    const b = Array.from({ length: side }, (_, i) => `b${i}`);
    const t0 = performance.now();
    const ops = diffSequences(['head', ...a, 'tail'], ['head', ...b, 'tail']);
    assert.ok(performance.now() - t0 < 500);
    assert.equal(ops.length, 2 + 2 * side);
    assert.deepEqual(ops[0], { op: 'same', a: 'head', b: 'head' });
    assert.deepEqual(ops.at(-1), { op: 'same', a: 'tail', b: 'tail' });
  });

  test('a 300-line resume with scattered edits diffs in well under 50 ms', () => {
    const before = Array.from({ length: 300 }, (_, i) => `- line ${i} about TypeScript`).join('\n');
    const after = before
      .split('\n')
      .map((l, i) => (i % 10 === 0 ? l.replace('TypeScript', 'PostgreSQL') : l))
      .join('\n');
    const t0 = performance.now();
    const rows = diffRows(before, after);
    assert.ok(performance.now() - t0 < 50);
    assert.equal(diffStats(rows).changed, 30);
  });
});
