import type { MatchResult } from '../../../contracts/match.ts';
import type { Row } from '../../lib/diff.ts';

export type Requirement = MatchResult['requirements'][number];
export type Grounding = NonNullable<MatchResult['tailored']>['grounding'];
export type UngroundedLine = Grounding['ungrounded'][number];
export type Status = Requirement['status'];

export const STATUS_ORDER: readonly Status[] = ['met', 'partial', 'missing'];

/** Requirements by status, must-haves before nice-to-haves within each (otherwise as posted). */
export function groupRequirements(reqs: readonly Requirement[]): Record<Status, Requirement[]> {
  const groups: Record<Status, Requirement[]> = { met: [], partial: [], missing: [] };
  for (const r of reqs) groups[r.status].push(r);
  const rank = (r: Requirement) => (r.importance === 'must' ? 0 : 1);
  // Array.prototype.sort is stable: the posting's order is kept within each importance.
  for (const s of STATUS_ORDER) groups[s].sort((a, b) => rank(a) - rank(b));
  return groups;
}

/** Per requirement, how tailoring changed its status (by its text; new ones count as before: absent). */
export function statusChanges(
  before: readonly Requirement[],
  after: readonly Requirement[],
): { improved: number; worsened: number } {
  const score: Record<Status, number> = { missing: 0, partial: 1, met: 2 };
  const was = new Map(before.map((r) => [r.text, r.status]));
  let improved = 0;
  let worsened = 0;
  for (const r of after) {
    const prev = was.get(r.text);
    if (prev === undefined) continue;
    if (score[r.status] > score[prev]) improved++;
    else if (score[r.status] < score[prev]) worsened++;
  }
  return { improved, worsened };
}

const BULLET = /^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+/;

/**
 * A line as the grounding check quotes it, folded for comparison: the server strips heading
 * marks, bullets and bold markers; case, accents and punctuation are folded here too, so that
 * a quote matches its diff row whatever small difference the two readings make.
 */
export function lineKey(line: string): string {
  return line
    .replace(/^\s*#+\s*/, '')
    .replace(BULLET, '')
    .replace(/\*\*|__/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#%]+/gu, ' ')
    .trim();
}

/** The text of a diff row's right-hand (tailored) side, or null when it has none. */
export function rightText(row: Row): string | null {
  switch (row.kind) {
    case 'same':
    case 'added':
      return row.right;
    case 'changed':
      return row.right.map((p) => p.text).join('');
    case 'removed':
      return null;
  }
}

/**
 * Which diff rows hold an ungrounded line of the tailored resume: row index → the report's
 * entry. `unplaced` lists the entries no row matched (shown under the table, never dropped).
 */
export function flagRows(
  rows: readonly Row[],
  ungrounded: readonly UngroundedLine[],
): { flags: Map<number, UngroundedLine>; unplaced: UngroundedLine[] } {
  const byKey = new Map<string, UngroundedLine>();
  for (const u of ungrounded) {
    const k = lineKey(u.text);
    if (k !== '' && !byKey.has(k)) byKey.set(k, u);
  }
  const flags = new Map<number, UngroundedLine>();
  const placed = new Set<UngroundedLine>();
  rows.forEach((row, i) => {
    const text = rightText(row);
    if (text === null) return;
    const u = byKey.get(lineKey(text));
    if (!u) return;
    flags.set(i, u);
    placed.add(u);
  });
  return { flags, unplaced: ungrounded.filter((u) => !placed.has(u)) };
}

const KIND_LABELS: Record<UngroundedLine['reasons'][number]['kind'], string> = {
  skill: 'skill',
  name: 'name',
  number: 'number',
  date: 'date',
  wording: 'new wording',
};

/** "name “Globex”; date “2025”": why a line is flagged, in words (not colour). */
export function describeReasons(u: UngroundedLine): string {
  return u.reasons.map((r) => `${KIND_LABELS[r.kind]} “${r.text}”`).join('; ');
}
