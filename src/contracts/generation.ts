import { z } from 'zod';
import { timestamp } from './common.ts';
import { documentType } from './documents.ts';

export const jobStatus = z
  .enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
  .meta({ id: 'GenerationJobStatus' });
export type JobStatus = z.infer<typeof jobStatus>;

export const documentProgress = z.enum(['queued', 'running', 'saved', 'failed', 'cancelled']);
export type DocumentProgress = z.infer<typeof documentProgress>;

export const generationJob = z
  .object({
    id: z.uuid(),
    application_id: z.uuid(),
    resume_id: z.uuid().nullable().describe('null once the resume has been deleted'),
    document_types: z.array(documentType),
    status: jobStatus,
    progress: z.partialRecord(documentType, documentProgress),
    error: z.string().nullable().describe('What went wrong, in words you can act on'),
    provider: z.string(),
    model: z.string(),
    usage: z.object({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      estimated_cost_usd: z
        .number()
        .nullable()
        .describe(
          'Estimated from the model’s price per token (USD); 0 offline and on local servers, null when the price is unknown',
        ),
    }),
    attempts: z.number().int(),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
  })
  .meta({ id: 'GenerationJob' });
export type GenerationJob = z.infer<typeof generationJob>;

export const generateBody = z
  .strictObject({
    document_types: z
      .array(documentType)
      .min(1)
      .refine((t) => new Set(t).size === t.length, 'must not repeat a type')
      .optional()
      .describe('Default: all three. The research report is always drafted first'),
    resume_id: z.uuid().optional().describe('Default: your primary resume'),
  })
  .optional();
export type GenerateBody = z.infer<typeof generateBody>;

export const generateHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .describe('The same key returns the same job instead of starting another'),
});

export const jobListQuery = z.strictObject({
  active: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only queued and running jobs (what a second tab reattaches to)'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type JobListQuery = z.infer<typeof jobListQuery>;

export const generationJobList = z
  .object({ items: z.array(generationJob).describe('Newest first') })
  .meta({ id: 'GenerationJobList' });
