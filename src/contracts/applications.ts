import { z } from 'zod';
import { httpUrl, minChars, requiredText, text, timestamp } from './common.ts';
import { documentType } from './documents.ts';

export const applicationStatus = z
  .enum(['draft', 'applied', 'interview', 'rejected', 'offer'])
  .meta({ id: 'ApplicationStatus' });
export type ApplicationStatus = z.infer<typeof applicationStatus>;

export const application = z
  .object({
    id: z.uuid(),
    name: z
      .string()
      .describe('company_role_YYYY_MM_DD, generated at creation and never changed afterwards'),
    company_name: z.string(),
    role_title: z.string(),
    job_description: z.string(),
    job_url: z.string().nullable(),
    location: z.string().nullable(),
    status: applicationStatus,
    notes: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Application' });
export type Application = z.infer<typeof application>;

/**
 * A list item without the long texts (the job description, up to 100,000 characters, and the
 * notes): what a board or a table shows. `GET /applications?fields=summary`.
 */
export const applicationSummary = application
  .omit({ job_description: true, notes: true })
  .meta({ id: 'ApplicationSummary' });
export type ApplicationSummary = z.infer<typeof applicationSummary>;

const fields = {
  company_name: requiredText(200),
  role_title: requiredText(200),
  job_description: minChars(requiredText(100_000), 50),
  // null clears the value; accepted on create too, where it means "none".
  job_url: httpUrl.nullable(),
  location: text(200).nullable(),
  status: applicationStatus,
  notes: text(20_000),
};

export const createApplicationBody = z.strictObject({
  company_name: fields.company_name,
  role_title: fields.role_title,
  job_description: fields.job_description,
  job_url: fields.job_url.optional(),
  location: fields.location.optional(),
  status: fields.status.default('draft'),
  notes: fields.notes.default(''),
});
export type CreateApplication = z.infer<typeof createApplicationBody>;

export const updateApplicationBody = z
  .strictObject({
    company_name: fields.company_name.optional(),
    role_title: fields.role_title.optional(),
    job_description: fields.job_description.optional(),
    job_url: fields.job_url.optional(),
    location: fields.location.optional(),
    status: fields.status.optional(),
    notes: fields.notes.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one field');
export type UpdateApplication = z.infer<typeof updateApplicationBody>;

export const applicationSort = z.enum(['created_at', 'updated_at', 'company_name']);
export type ApplicationSort = z.infer<typeof applicationSort>;

export const listApplicationsQuery = z.strictObject({
  status: applicationStatus.optional(),
  q: text(200)
    .optional()
    .describe(
      'Words in web-search syntax (English stemming; Chinese, Japanese and Korean words found ' +
        'inside longer runs) over company, role, description and notes, or a substring of the ' +
        'company name or role title',
    ),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  sort: applicationSort.default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  fields: z
    .enum(['full', 'summary'])
    .optional()
    .describe(
      'full (the default): every field of each application; summary: without job_description and notes ' +
        '(ApplicationSummary), for boards and tables',
    ),
});
export type ListApplicationsQuery = z.infer<typeof listApplicationsQuery>;

export const eventKind = z.enum([
  'created',
  'status_changed',
  'document_saved',
  'document_deleted',
]);

export const applicationEvent = z
  .object({
    id: z.uuid(),
    kind: eventKind,
    from_status: applicationStatus.nullable(),
    to_status: applicationStatus.nullable(),
    document_type: documentType.nullable().describe('For document_saved and document_deleted'),
    created_at: timestamp,
  })
  .meta({ id: 'ApplicationEvent' });
export type ApplicationEvent = z.infer<typeof applicationEvent>;

export const applicationEvents = z.object({ items: z.array(applicationEvent) });
