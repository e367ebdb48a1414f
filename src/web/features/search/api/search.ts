import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchHit } from '../../../../contracts/search.ts';
import { api, qs } from '../../../lib/api-client.ts';

export const useSearch = (q: string) =>
  useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) =>
      api<{ items: SearchHit[]; query: string }>('GET', `/search${qs({ q, limit: 30 })}`, {
        signal,
      }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
