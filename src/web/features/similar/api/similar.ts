import { useQuery } from '@tanstack/react-query';
import type { SimilarResult } from '../../../../contracts/similar.ts';
import { api } from '../../../lib/api-client.ts';

/**
 * The user's other applications whose postings read most like this one. Under ['applications']:
 * adding, editing or deleting an application invalidates that prefix, so the list follows.
 */
export const useSimilar = (applicationId: string, limit = 5) =>
  useQuery({
    queryKey: ['applications', 'similar', applicationId, limit],
    queryFn: ({ signal }) =>
      api<SimilarResult>('GET', `/applications/${applicationId}/similar?limit=${limit}`, {
        signal,
      }),
  });
