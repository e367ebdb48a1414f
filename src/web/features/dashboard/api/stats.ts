import { useQuery } from '@tanstack/react-query';
import type { ApplicationStats } from '../../../../contracts/stats.ts';
import { api } from '../../../lib/api-client.ts';

export const useApplicationStats = () =>
  useQuery({
    queryKey: ['stats', 'applications'],
    queryFn: ({ signal }) => api<ApplicationStats>('GET', '/stats/applications', { signal }),
  });
