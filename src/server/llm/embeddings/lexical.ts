import { stem } from '../offline/stem.ts';
import { words } from '../offline/text.ts';
import type { Embedder } from './embedder.ts';

export const LEXICAL_DIMENSIONS = 512;
/** Bump the version when the features or the hashing change: old vectors are then recomputed. */
export const LEXICAL_MODEL = `lexical:jobforge-stems-${LEXICAL_DIMENSIONS}-v1`;

/** FNV-1a, 32 bits: fast, stable across processes and versions of Node. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A hashed bag of stems: each content word's stem (the match analysis' stemmer, so "managed" and
 * "management" count as one feature) adds 1 + ln(count) to one of 512 dimensions, with a sign
 * from another bit of its hash so that collisions cancel out on average instead of adding up.
 * Deterministic and local; good enough to find postings that use the same vocabulary, not
 * synonyms. All zeros (null) when the text has no content words.
 */
export function lexicalVector(text: string): number[] | null {
  const counts = new Map<string, number>();
  for (const w of words(text)) {
    const s = stem(w);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (counts.size === 0) return null;
  const v = new Array<number>(LEXICAL_DIMENSIONS).fill(0);
  for (const [term, n] of counts) {
    const h = fnv1a(term);
    v[h % LEXICAL_DIMENSIONS]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(n));
  }
  return v.some((x) => x !== 0) ? v : null;
}

/** The built-in embedder: no network, no key, the default. */
export class LexicalEmbedder implements Embedder {
  readonly model = LEXICAL_MODEL;
  readonly batchSize = 500;
  readonly maxChars = 200_000;

  embed(texts: string[]): Promise<(number[] | null)[]> {
    return Promise.resolve(texts.map(lexicalVector));
  }
}
