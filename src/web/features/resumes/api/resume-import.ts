import { useMutation } from '@tanstack/react-query';
import type { ResumeImport } from '../../../../contracts/imports.ts';
import { api } from '../../../lib/api-client.ts';

/** File types the import reads; the server decides by the bytes, this only guides the picker. */
export const RESUME_FILE_ACCEPT = '.pdf,.docx,.md,.markdown,.txt,.json';

/** Reads a resume file into Markdown on the server (nothing is stored until the user saves). */
export function useImportResume() {
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api<ResumeImport>('POST', '/resumes/import', { form });
    },
  });
}
