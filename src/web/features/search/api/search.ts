import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchHit } from '../../../../contracts/search.ts';
import { api, qs } from '../../../lib/api-client.ts';

/**
 * Full-text search, or with `semantic` ranked by meaning (embedding similarity to the query; the
 * API embeds applications and documents, not resumes). The answer says which mode it is: right
 * after the toggle the previous mode's answer is still shown (keepPreviousData), and its ranks
 * must not be read as the other mode's.
 */
export interface SearchAnswer {
  items: SearchHit[];
  query: string;
  /** Whether these hits were ranked by meaning (their rank is then a similarity). */
  semantic: boolean;
}

export const useSearch = (q: string, semantic = false) =>
  useQuery({
    queryKey: ['search', q, semantic],
    queryFn: async ({ signal }): Promise<SearchAnswer> => {
      const r = await api<Omit<SearchAnswer, 'semantic'>>(
        'GET',
        `/search${qs({ q, limit: 30, semantic: semantic ? 'true' : undefined })}`,
        { signal },
      );
      return { ...r, semantic };
    },
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
