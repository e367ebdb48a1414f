import { z } from 'zod';
import { text } from './common.ts';

export const searchKind = z.enum(['application', 'resume', 'document']);
export type SearchKind = z.infer<typeof searchKind>;

export const searchQuery = z.strictObject({
  q: text(200)
    .refine((s) => s.trim().length > 0, 'must not be blank')
    .describe(
      'Web-search syntax: words, "quoted phrase", -excluded, a or b. English stemming: "designing" finds "design". ' +
        'A Chinese, Japanese or Korean word matches anywhere inside a longer run: "数据分析" finds "熟练掌握Python和数据分析".',
    ),
  kinds: z
    .string()
    .max(100)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === '') return searchKind.options;
      const parts = [...new Set(s.split(',').map((p) => p.trim()))];
      const bad = parts.filter((p) => !searchKind.options.includes(p as SearchKind));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown kind(s) ${bad.join(', ')}: use application, resume, document`,
        });
        return z.NEVER;
      }
      return parts as SearchKind[];
    })
    .describe('Comma-separated: application,resume,document (default: all)'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  semantic: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe(
      'true: rank by embedding similarity to q (exact nearest neighbours over your applications ' +
        'and documents; resumes are not embedded) instead of full-text matching',
    ),
});

export const searchHit = z
  .object({
    kind: searchKind,
    id: z.uuid(),
    application_id: z.uuid().nullable().describe('For documents: the application they belong to'),
    document_type: z.string().nullable(),
    title: z.string(),
    snippet: z
      .string()
      .describe('HTML-escaped text around the matches, each match wrapped in <mark></mark>'),
    rank: z.number().describe('Full text: ts_rank; semantic: cosine similarity to the query'),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof searchHit>;

export const searchResult = z.object({ items: z.array(searchHit), query: z.string() });
