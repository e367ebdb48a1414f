import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Document, DocumentType, DocumentVersion } from '../../../../contracts/documents.ts';
import { api } from '../../../lib/api-client.ts';

export const DOCUMENT_LABELS: Record<DocumentType, string> = {
  research_report: 'Research report',
  optimized_resume: 'Tailored resume',
  cover_letter: 'Cover letter',
};

/** The documents that exist (a missing type is simply absent: no 404 per empty tab). */
export const useDocuments = (applicationId: string) =>
  useQuery({
    queryKey: ['documents', applicationId],
    queryFn: ({ signal }) =>
      api<{ items: Document[] }>('GET', `/applications/${applicationId}/documents`, { signal }),
  });

export const useDocumentVersions = (applicationId: string, type: DocumentType, enabled: boolean) =>
  useQuery({
    queryKey: ['documents', applicationId, type, 'versions'],
    queryFn: ({ signal }) =>
      api<{ items: DocumentVersion[] }>(
        'GET',
        `/applications/${applicationId}/documents/${type}/versions`,
        { signal },
      ),
    enabled,
  });

export function useSaveDocument(applicationId: string, type: DocumentType) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (content: string) =>
      api<Document>('PUT', `/applications/${applicationId}/documents/${type}`, {
        body: { content },
      }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['documents', applicationId] }),
        qc.invalidateQueries({ queryKey: ['applications', 'events', applicationId] }),
        qc.invalidateQueries({ queryKey: ['search'] }),
      ]),
  });
}
