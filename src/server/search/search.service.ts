import type { SearchHit, SearchKind } from '../../contracts/search.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import { cjkRuns } from './cjk.ts';
import type { EmbeddingIndex } from './embedding-index.ts';
import { semanticSearch } from './embeddings.repository.ts';
import { MARK_END, MARK_START, search } from './search.repository.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Escapes the text and turns the headline's match delimiters into <mark> elements. */
export function markSnippet(raw: string): string {
  return raw
    .split(MARK_START)
    .map((part, i) => {
      if (i === 0) return escapeHtml(part);
      const end = part.indexOf(MARK_END);
      if (end < 0) return escapeHtml(part);
      return `<mark>${escapeHtml(part.slice(0, end))}</mark>${escapeHtml(part.slice(end + 1))}`;
    })
    .join('')
    .replaceAll(MARK_END, '');
}

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 200;

/**
 * A headline for a query with CJK words, cut in TypeScript from the whole text (ts_headline cannot
 * find them): about 200 characters around the first occurrence of any of `terms`, each occurrence
 * delimited like ts_headline's matches. Without an occurrence (the hit matched on other words),
 * the start of the text.
 */
export function cjkHeadline(text: string, terms: string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const firsts = terms.map((t) => flat.indexOf(t)).filter((i) => i >= 0);
  const first = firsts.length > 0 ? Math.min(...firsts) : 0;
  const start = Math.max(0, first - SNIPPET_BEFORE);
  const window = flat.slice(start, start + SNIPPET_LENGTH);
  // Characters covered by any occurrence; each maximal covered span becomes one match.
  const covered = new Array<boolean>(window.length).fill(false);
  for (const term of terms) {
    for (let i = window.indexOf(term); i >= 0; i = window.indexOf(term, i + 1)) {
      covered.fill(true, i, i + term.length);
    }
  }
  let marked = '';
  for (let i = 0; i < window.length; i++) {
    if (covered[i] && !covered[i - 1]) marked += MARK_START;
    marked += window[i];
    if (covered[i] && !covered[i + 1]) marked += MARK_END;
  }
  return `${start > 0 ? '… ' : ''}${marked}${start + SNIPPET_LENGTH < flat.length ? ' …' : ''}`;
}

export class SearchService {
  constructor(
    private readonly tenant: Tenant,
    private readonly index: EmbeddingIndex,
  ) {}

  run(auth: AuthContext, q: string, kinds: SearchKind[], limit: number): Promise<SearchHit[]> {
    return this.tenant(auth, async (tx) => {
      const terms = cjkRuns(q);
      const rows = await search(tx, auth.userId, q, kinds, limit, terms.length > 0);
      return rows.map(({ raw_snippet, ...hit }) => ({
        ...hit,
        snippet: markSnippet(terms.length > 0 ? cjkHeadline(raw_snippet, terms) : raw_snippet),
      }));
    });
  }

  /**
   * Ranks the user's applications and documents by the cosine similarity of their embeddings to
   * the query's: exact, over every row (brought up to date first), so recall is 1.0.
   */
  async semantic(
    auth: AuthContext,
    q: string,
    kinds: SearchKind[],
    limit: number,
  ): Promise<SearchHit[]> {
    const embedded = kinds.filter((k): k is 'application' | 'document' => k !== 'resume');
    if (embedded.length === 0) return [];
    const vector = await this.index.embedQuery(q);
    const storage = await this.index.refresh(auth, embedded);
    return this.tenant(auth, async (tx) => {
      const rows = await semanticSearch(tx, storage, {
        userId: auth.userId,
        model: this.index.embedder.model,
        vector,
        kinds: embedded,
        limit,
      });
      return rows.map(({ body, distance, ...hit }) => ({
        ...hit,
        snippet: markSnippet(
          body.replaceAll(MARK_START, '').replaceAll(MARK_END, '').replace(/\s+/g, ' ').trim(),
        ),
        rank: 1 - distance,
      }));
    });
  }
}
