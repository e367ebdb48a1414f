import type { SearchHit, SearchKind } from '../../contracts/search.ts';
import type { Tx } from '../db/database.ts';
import { toWebsearch } from './cjk.ts';

// ts_headline does not escape HTML, so matches are delimited with control characters (removed
// from the source text first) and the snippet is escaped in TypeScript (search.service.ts).
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

const DOCUMENT_TITLES = {
  research_report: 'Research report',
  optimized_resume: 'Tailored resume',
  cover_letter: 'Cover letter',
};

/** raw_snippet: the headline, or the whole text (delimiters removed) when `wholeText` was asked. */
export type RawHit = Omit<SearchHit, 'snippet'> & { raw_snippet: string };

/**
 * One ranked query over the user's applications, resumes and documents. Ranking uses only the
 * positive terms (querytree), since excluded words would otherwise rank every hit 0. Ranks first, then builds
 * headlines only for the rows returned (ts_headline re-parses the whole text, the expensive part).
 * ts_headline cannot find CJK words (its parser reads a CJK run as one word, the query holds
 * bigrams), so with `wholeText` the text itself comes back for the service to cut a snippet from.
 */
export async function search(
  tx: Tx,
  userId: string,
  q: string,
  kinds: SearchKind[],
  limit: number,
  wholeText = false,
): Promise<RawHit[]> {
  const parts: string[] = [];
  if (kinds.includes('application')) {
    parts.push(`SELECT 'application' AS kind, a.id, NULL::uuid AS application_id, NULL::text AS document_type,
        a.company_name || ' — ' || a.role_title AS title,
        a.company_name || ' — ' || a.role_title || E'\\n' || a.job_description || E'\\n' || a.notes AS body,
        ts_rank(a.search, positive) AS rank
      FROM applications a, q WHERE a.user_id = $1 AND a.search @@ query`);
  }
  if (kinds.includes('resume')) {
    parts.push(`SELECT 'resume', r.id, NULL::uuid, NULL::text, r.name, r.content, ts_rank(r.search, positive)
      FROM user_resumes r, q WHERE r.user_id = $1 AND r.search @@ query`);
  }
  if (kinds.includes('document')) {
    parts.push(`SELECT 'document', d.id, d.application_id, d.document_type::text,
        (CASE d.document_type WHEN 'research_report' THEN '${DOCUMENT_TITLES.research_report}'
          WHEN 'optimized_resume' THEN '${DOCUMENT_TITLES.optimized_resume}'
          ELSE '${DOCUMENT_TITLES.cover_letter}' END) || ' — ' || a.company_name || ', ' || a.role_title,
        d.content, ts_rank(d.search, positive)
      FROM documents d JOIN applications a ON a.id = d.application_id AND a.user_id = d.user_id, q
      WHERE d.user_id = $1 AND d.search @@ query`);
  }
  const { rows } = await tx.query<RawHit>(
    `WITH q AS (
       SELECT query, coalesce(nullif(nullif(querytree(query), 'T'), '')::tsquery, query) AS positive
         FROM websearch_to_tsquery('english', $2) AS query),
     hits AS (${parts.join(' UNION ALL ')} ORDER BY rank DESC, id LIMIT $3)
     SELECT h.kind, h.id, h.application_id, h.document_type, h.title, h.rank::float8 AS rank,
            CASE WHEN $4 THEN translate(h.body, E'\\u0002\\u0003', '')
              ELSE ts_headline('english', translate(h.body, E'\\u0002\\u0003', ''), q.query, '${HEADLINE_OPTIONS}')
            END AS raw_snippet
       FROM hits h, q
      ORDER BY h.rank DESC, h.id`,
    [userId, toWebsearch(q), limit, wholeText],
  );
  return rows;
}
