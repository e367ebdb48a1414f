import { useMutation } from '@tanstack/react-query';
import type { Application, CreateApplication } from '../../../../contracts/applications.ts';
import type { ImportJob, JobImport } from '../../../../contracts/imports.ts';
import { api } from '../../../lib/api-client.ts';
import { useInvalidateApplications } from './applications.ts';

/** Reads a posting from a link (the server fetches it) or from a page sent by the bookmarklet. */
export const useImportPosting = () =>
  useMutation({
    mutationFn: (body: ImportJob) => api<JobImport>('POST', '/applications/import', { body }),
  });

/** Creates the application from the reviewed draft, keeping the frozen page with it. */
export function useConfirmImport() {
  const invalidate = useInvalidateApplications();
  return useMutation({
    mutationFn: ({ snapshotId, body }: { snapshotId: string; body: CreateApplication }) =>
      api<Application>('POST', `/applications/import/${snapshotId}/confirm`, { body }),
    onSuccess: invalidate,
  });
}
