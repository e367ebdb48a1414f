import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Application,
  ApplicationEvent,
  ApplicationSummary,
  CreateApplication,
  ListApplicationsQuery,
  UpdateApplication,
} from '../../../../contracts/applications.ts';
import { api, qs } from '../../../lib/api-client.ts';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type ListQuery = Omit<Partial<ListApplicationsQuery>, 'fields'>;

/**
 * A page of applications without their long texts (fields=summary): the board and the table
 * show company, role, status and dates, and the descriptions were most of the payload.
 */
export const listApplications = (q: ListQuery, signal?: AbortSignal) =>
  api<Page<ApplicationSummary>>('GET', `/applications${qs({ ...q, fields: 'summary' })}`, {
    signal,
  });

/** Every application (the board shows them all): pages of 100, the API's maximum. */
export async function listAllApplications(signal?: AbortSignal): Promise<ApplicationSummary[]> {
  const all: ApplicationSummary[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await listApplications({ limit: 100, offset, sort: 'updated_at' }, signal);
    all.push(...page.items);
    if (all.length >= page.total || page.items.length === 0) return all;
  }
}

export const useApplications = (q: ListQuery) =>
  useQuery({
    queryKey: ['applications', 'list', q],
    queryFn: ({ signal }) => listApplications(q, signal),
    placeholderData: keepPreviousData,
  });

export const useAllApplications = () =>
  useQuery({
    queryKey: ['applications', 'all'],
    queryFn: ({ signal }) => listAllApplications(signal),
  });

export const useApplication = (id: string) =>
  useQuery({
    queryKey: ['applications', 'one', id],
    queryFn: ({ signal }) => api<Application>('GET', `/applications/${id}`, { signal }),
  });

export const useApplicationEvents = (id: string) =>
  useQuery({
    queryKey: ['applications', 'events', id],
    queryFn: ({ signal }) =>
      api<{ items: ApplicationEvent[] }>('GET', `/applications/${id}/events`, { signal }),
  });

/** Anything that changes an application also changes lists, the timeline and the dashboard. */
export function useInvalidateApplications() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['applications'] }),
      qc.invalidateQueries({ queryKey: ['stats'] }),
      qc.invalidateQueries({ queryKey: ['search'] }),
    ]);
}

export function useCreateApplication() {
  const invalidate = useInvalidateApplications();
  return useMutation({
    mutationFn: (body: CreateApplication) => api<Application>('POST', '/applications', { body }),
    onSuccess: invalidate,
  });
}

export function useUpdateApplication() {
  const invalidate = useInvalidateApplications();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UpdateApplication }) =>
      api<Application>('PATCH', `/applications/${id}`, { body: patch }),
    onSettled: invalidate,
  });
}

export function useDeleteApplication() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/applications/${id}`),
    // Not the deleted application's own queries: refetching them could only answer 404.
    onSuccess: (_data, id) =>
      Promise.all([
        qc.invalidateQueries({
          queryKey: ['applications'],
          predicate: (q) => q.queryKey[2] !== id,
        }),
        qc.invalidateQueries({ queryKey: ['stats'] }),
        qc.invalidateQueries({ queryKey: ['search'] }),
      ]),
  });
}
