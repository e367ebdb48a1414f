import { z } from 'zod';
import { requiredText, timestamp } from './common.ts';

export const documentType = z
  .enum(['research_report', 'optimized_resume', 'cover_letter'])
  .meta({ id: 'DocumentType' });
export type DocumentType = z.infer<typeof documentType>;

export const document = z
  .object({
    id: z.uuid(),
    application_id: z.uuid(),
    document_type: documentType,
    content: z.string(),
    version: z.number().int().describe('1 on creation, +1 on every saved change'),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Document' });
export type Document = z.infer<typeof document>;

export const documentVersion = z
  .object({
    version: z.number().int(),
    content: z.string(),
    source: z.enum(['user', 'generated', 'restored']),
    created_at: timestamp,
  })
  .meta({ id: 'DocumentVersion' });
export type DocumentVersion = z.infer<typeof documentVersion>;

export const documentParams = z.strictObject({ id: z.uuid(), type: documentType });

export const putDocumentBody = z.strictObject({ content: requiredText(200_000) });
