import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchHit } from '../../../../contracts/search.ts';
import { api, qs } from '../../../lib/api-client.ts';

/**
 * Full-text search, or with `semantic` ranked by meaning (embedding similarity to the query; the
 * API embeds applications and documents, not resumes).
 */
export const useSearch = (q: string, semantic = false) =>
  useQuery({
    queryKey: ['search', q, semantic],
    queryFn: ({ signal }) =>
      api<{ items: SearchHit[]; query: string }>(
        'GET',
        `/search${qs({ q, limit: 30, semantic: semantic ? 'true' : undefined })}`,
        { signal },
      ),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
