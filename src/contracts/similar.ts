import { z } from 'zod';
import { applicationStatus } from './applications.ts';
import { documentType } from './documents.ts';
import { timestamp } from './common.ts';

export const similarQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const similarApplication = z
  .object({
    application: z.object({
      id: z.uuid(),
      name: z.string(),
      company_name: z.string(),
      role_title: z.string(),
      status: applicationStatus,
      created_at: timestamp,
    }),
    score: z
      .number()
      .describe('Cosine similarity of the two postings’ embeddings, 1 = the same wording'),
    documents: z.array(z.object({ id: z.uuid(), document_type: documentType })),
  })
  .meta({ id: 'SimilarApplication' });
export type SimilarApplication = z.infer<typeof similarApplication>;

export const similarResult = z
  .object({
    model: z.string().describe('The embedding model the scores come from'),
    items: z
      .array(similarApplication)
      .describe('Most similar first; the application itself excluded'),
  })
  .meta({ id: 'SimilarApplications' });
export type SimilarResult = z.infer<typeof similarResult>;
