import type { SearchHit, SearchKind } from '../../contracts/search.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
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

export class SearchService {
  constructor(private readonly tenant: Tenant) {}

  run(auth: AuthContext, q: string, kinds: SearchKind[], limit: number): Promise<SearchHit[]> {
    return this.tenant(auth, async (tx) => {
      const rows = await search(tx, auth.userId, q, kinds, limit);
      return rows.map(({ raw_snippet, ...hit }) => ({ ...hit, snippet: markSnippet(raw_snippet) }));
    });
  }
}
