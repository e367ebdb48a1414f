import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateResume, Resume, UpdateResume } from '../../../../contracts/resumes.ts';
import { api } from '../../../lib/api-client.ts';
import type { Page } from '../../applications/api/applications.ts';

export const useResumes = () =>
  useQuery({
    queryKey: ['resumes'],
    queryFn: ({ signal }) => api<Page<Resume>>('GET', '/resumes?limit=100', { signal }),
  });

export const useResume = (id: string) =>
  useQuery({
    queryKey: ['resumes', id],
    queryFn: ({ signal }) => api<Resume>('GET', `/resumes/${id}`, { signal }),
  });

function useInvalidateResumes() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['resumes'] }),
      qc.invalidateQueries({ queryKey: ['search'] }),
      // Match analyses read the resume's text (and which one is primary).
      qc.invalidateQueries({ predicate: (q) => q.queryKey[2] === 'match' }),
    ]);
}

export function useCreateResume() {
  const invalidate = useInvalidateResumes();
  return useMutation({
    mutationFn: (body: CreateResume) => api<Resume>('POST', '/resumes', { body }),
    onSuccess: invalidate,
  });
}

export function useUpdateResume() {
  const invalidate = useInvalidateResumes();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UpdateResume }) =>
      api<Resume>('PATCH', `/resumes/${id}`, { body: patch }),
    onSuccess: invalidate,
  });
}

export function useDeleteResume() {
  const invalidate = useInvalidateResumes();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/resumes/${id}`),
    onSuccess: invalidate,
  });
}
