import { z } from 'zod';
import { httpUrl, text, timestamp } from './common.ts';

export const importedPosting = z
  .object({
    company_name: z.string().describe('Empty when the page does not say'),
    role_title: z.string(),
    job_description: z.string().describe('Markdown'),
    job_url: z.string().nullable(),
    location: z.string().nullable().describe('Places and "Remote (where)" when the job is remote'),
    employment_type: z.string().nullable(),
    salary: z.string().nullable(),
    date_posted: z.string().nullable(),
    valid_through: z.string().nullable(),
    notes: z
      .string()
      .describe('Employment type, salary and dates as lines, ready for the notes field'),
  })
  .meta({ id: 'ImportedPosting' });
export type ImportedPosting = z.infer<typeof importedPosting>;

export const importJobBody = z
  .strictObject({
    url: httpUrl
      .optional()
      .describe('The posting to fetch (when html is sent: where it came from)'),
    html: text(2 * 1024 * 1024)
      .optional()
      .describe('The page itself, e.g. sent by the bookmarklet from a page behind a login'),
  })
  .refine((b) => b.url !== undefined || b.html !== undefined, 'send url, html or both');
export type ImportJob = z.infer<typeof importJobBody>;

export const jobImport = z
  .object({
    snapshot_id: z
      .uuid()
      .describe(
        'The frozen copy of the page. Confirm with POST /applications/import/{snapshot_id}/confirm',
      ),
    source: z
      .enum(['json-ld', 'meta', 'readable'])
      .describe('json-ld: schema.org JobPosting; meta: OpenGraph tags; readable: the main text'),
    draft: importedPosting.describe('The first posting found: what the form is filled with'),
    postings: z.array(importedPosting).describe('Every posting on the page (boards list several)'),
  })
  .meta({ id: 'JobImport' });
export type JobImport = z.infer<typeof jobImport>;

export const postingSnapshot = z
  .object({
    id: z.uuid(),
    application_id: z.uuid().nullable(),
    url: z.string().nullable().describe('What was asked for'),
    final_url: z.string().nullable().describe('Where the page was found, after redirects'),
    content_type: z.string().nullable(),
    html: z.string().describe('The page as fetched (or as sent), never changed afterwards'),
    extracted: z.array(importedPosting),
    fetched_at: timestamp,
  })
  .meta({ id: 'PostingSnapshot' });
export type PostingSnapshot = z.infer<typeof postingSnapshot>;

export const resumeImportSource = z.enum(['pdf', 'docx', 'markdown', 'text', 'json-resume']);

export const resumeImport = z
  .object({
    name: z.string().describe('A suggested resume name (the person or the file name)'),
    content: z.string().describe('The resume as clean Markdown, for the user to review and save'),
    source: resumeImportSource.describe('What the file was read as (by its bytes, not its name)'),
    warnings: z
      .array(z.string())
      .describe('What may need a look, e.g. "the PDF has 3 pages without text"'),
  })
  .meta({ id: 'ResumeImport' });
export type ResumeImport = z.infer<typeof resumeImport>;
