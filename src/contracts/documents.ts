import { z } from 'zod';
import { requiredText, timestamp } from './common.ts';

export const documentType = z
  .enum(['research_report', 'optimized_resume', 'cover_letter'])
  .meta({ id: 'DocumentType' });
export type DocumentType = z.infer<typeof documentType>;

export const ungroundedClaim = z
  .object({
    text: z.string().describe('What the source resume does not support, as written'),
    kind: z
      .enum(['skill', 'name', 'number', 'date', 'wording'])
      .describe('name: an employer, job title, degree or place; wording: a line mostly new'),
    line: z.string().describe('The tailored resume’s line it is in'),
  })
  .meta({ id: 'UngroundedClaim' });

export const documentGrounding = z
  .object({
    checked_against_resume_id: z.uuid().describe('The resume the draft was made from'),
    ungrounded: z.array(ungroundedClaim),
  })
  .meta({ id: 'DocumentGrounding' });
export type DocumentGrounding = z.infer<typeof documentGrounding>;

export const document = z
  .object({
    id: z.uuid(),
    application_id: z.uuid(),
    document_type: documentType,
    content: z.string(),
    version: z.number().int().describe('1 on creation, +1 on every saved change'),
    created_at: timestamp,
    updated_at: timestamp,
    grounding: documentGrounding
      .nullable()
      .describe(
        'Tailored resumes: every skill, name, number and date of this version that the source ' +
          'resume does not contain. Null for other documents, or when no resume was at hand.',
      ),
    flagged: z.boolean().describe('The grounding check found something ungrounded'),
  })
  .meta({ id: 'Document' });
export type Document = z.infer<typeof document>;

export const documentVersion = z
  .object({
    version: z.number().int(),
    content: z.string(),
    source: z.enum(['user', 'generated', 'restored']),
    created_at: timestamp,
    grounding: documentGrounding.nullable(),
  })
  .meta({ id: 'DocumentVersion' });
export type DocumentVersion = z.infer<typeof documentVersion>;

export const documentParams = z.strictObject({ id: z.uuid(), type: documentType });

export const putDocumentBody = z.strictObject({ content: requiredText(200_000) });
