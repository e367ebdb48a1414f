import { z } from 'zod';

export const exportFormat = z.enum(['md', 'docx', 'pdf']).meta({ id: 'ExportFormat' });
export type ExportFormat = z.infer<typeof exportFormat>;

export const exportQuery = z.object({
  format: exportFormat
    .default('md')
    .describe('md: the stored Markdown as is; docx: an editable Word document; pdf: print-ready'),
});
