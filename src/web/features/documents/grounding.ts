import type { Document, DocumentGrounding } from '../../../contracts/documents.ts';
import type { UngroundedLine } from '../match/match-logic.ts';

/**
 * The stored grounding check (one entry per claim, each with its line) as the comparison shows
 * it: one entry per line with its reasons, in the order the check found them. Only a regrouping:
 * what is grounded is the API's answer, computed when the version was saved.
 */
export function ungroundedLines(g: DocumentGrounding): UngroundedLine[] {
  const byLine = new Map<string, UngroundedLine>();
  for (const c of g.ungrounded) {
    let entry = byLine.get(c.line);
    if (!entry) {
      entry = { text: c.line, reasons: [] };
      byLine.set(c.line, entry);
    }
    entry.reasons.push({ kind: c.kind, text: c.text });
  }
  return [...byLine.values()];
}

/** How many claims of a flagged tailored resume its source resume does not support (0: none). */
export const flaggedClaims = (doc: Document | undefined): number =>
  doc?.flagged && doc.grounding ? doc.grounding.ungrounded.length : 0;

/** "3 claims not found in your resume — review before sending" */
export const flagText = (n: number): string =>
  `${n} claim${n === 1 ? '' : 's'} not found in your resume — review before sending`;
