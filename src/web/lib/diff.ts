/**
 * A small line-then-word diff for showing a tailored resume beside its source. Resumes are a
 * few hundred lines at most, so a longest-common-subsequence table is fast enough and needs no
 * dependency; past MAX_CELLS the changed middle is shown as replaced rather than compared.
 */

export type Op<T> = { op: 'same'; a: T; b: T } | { op: 'removed'; a: T } | { op: 'added'; b: T };

/** Beyond this many table cells (n × m) the middle is not compared item by item. */
export const MAX_CELLS = 4_000_000;

/** The edit script from `a` to `b`, removals before additions within a change. */
export function diffSequences<T>(a: readonly T[], b: readonly T[]): Op<T>[] {
  // The common head and tail cost nothing to find and usually are most of a resume.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Op<T>[] = a.slice(0, start).map((x) => ({ op: 'same', a: x, b: x }));
  const tail: Op<T>[] = a.slice(endA).map((x, i) => ({ op: 'same', a: x, b: b[endB + i]! }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  return [...head, ...middle(midA, midB), ...tail];
}

function middle<T>(a: readonly T[], b: readonly T[]): Op<T>[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS || n === 0 || m === 0) {
    return [
      ...a.map((x): Op<T> => ({ op: 'removed', a: x })),
      ...b.map((x): Op<T> => ({ op: 'added', b: x })),
    ];
  }
  // lcs[i * (m + 1) + j] = length of the LCS of a[i..] and b[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: Op<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', a: a[i]!, b: b[j]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      out.push({ op: 'removed', a: a[i++]! });
    } else {
      out.push({ op: 'added', b: b[j++]! });
    }
  }
  while (i < n) out.push({ op: 'removed', a: a[i++]! });
  while (j < m) out.push({ op: 'added', b: b[j++]! });
  return out;
}

/** A run of text inside a line; `changed` runs are the highlighted ones. */
export interface Part {
  text: string;
  changed: boolean;
}

/** One row of a side-by-side view: what the source had and what the new text has there. */
export type Row =
  | { kind: 'same'; left: string; right: string }
  | { kind: 'changed'; left: Part[]; right: Part[] }
  | { kind: 'removed'; left: string }
  | { kind: 'added'; right: string };

/** Words and the whitespace between them, so that joining the tokens gives the line back. */
const tokens = (line: string): string[] => line.split(/(\s+)/).filter((t) => t !== '');

/** Adjacent parts with the same flag merged: fewer elements, same text. */
function merge(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && last.changed === p.changed) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** Word-level highlights for a line that was edited. */
export function diffWords(before: string, after: string): { left: Part[]; right: Part[] } {
  const left: Part[] = [];
  const right: Part[] = [];
  for (const o of diffSequences(tokens(before), tokens(after))) {
    if (o.op === 'same') {
      left.push({ text: o.a, changed: false });
      right.push({ text: o.b, changed: false });
    } else if (o.op === 'removed') left.push({ text: o.a, changed: true });
    else right.push({ text: o.b, changed: true });
  }
  // Whitespace is highlighted only between two changed words, so that "TypeScript and
  // PostgreSQL" reads as one change rather than three; alone it is not worth a highlight.
  const calm = (parts: Part[]) =>
    parts.map((p, k) =>
      p.text.trim() === ''
        ? { ...p, changed: Boolean(parts[k - 1]?.changed && parts[k + 1]?.changed) }
        : p,
    );
  return { left: merge(calm(left)), right: merge(calm(right)) };
}

/**
 * Side-by-side rows from source to new text. Within a change, removed and added lines are
 * paired in order as edited lines (word highlights); the rest are whole removed or added lines.
 */
export function diffRows(before: string, after: string): Row[] {
  const split = (s: string) => s.replace(/\r\n?/g, '\n').split('\n');
  const ops = diffSequences(split(before), split(after));
  const rows: Row[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++) {
      rows.push({ kind: 'changed', ...diffWords(removed[k]!, added[k]!) });
    }
    for (const l of removed.slice(paired)) rows.push({ kind: 'removed', left: l });
    for (const r of added.slice(paired)) rows.push({ kind: 'added', right: r });
    removed = [];
    added = [];
  };
  for (const o of ops) {
    if (o.op === 'same') {
      flush();
      rows.push({ kind: 'same', left: o.a, right: o.b });
    } else if (o.op === 'removed') removed.push(o.a);
    else added.push(o.b);
  }
  flush();
  return rows;
}

/** How many lines changed, were added and were removed: the summary above the view. */
export function diffStats(rows: readonly Row[]): {
  changed: number;
  added: number;
  removed: number;
} {
  const count = (k: Row['kind']) => rows.filter((r) => r.kind === k).length;
  return { changed: count('changed'), added: count('added'), removed: count('removed') };
}
