import { z } from 'zod';
import { minChars, requiredText, text, timestamp } from './common.ts';

export const focusArea = z
  .enum(['software_development', 'data_science', 'management', 'consulting', 'other'])
  .meta({ id: 'FocusArea' });
export type FocusArea = z.infer<typeof focusArea>;

export const resume = z
  .object({
    id: z.uuid(),
    name: z.string(),
    content: z.string().describe('Markdown'),
    focus_area: focusArea,
    is_primary: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Resume' });
export type Resume = z.infer<typeof resume>;

/** A saved resume's limits; resume import warns about text outside them before the user saves. */
export const RESUME_LIMITS = { maxName: 200, minContent: 100, maxContent: 200_000 } as const;

const fields = {
  name: requiredText(RESUME_LIMITS.maxName),
  content: minChars(text(RESUME_LIMITS.maxContent), RESUME_LIMITS.minContent).describe(
    `Markdown, ${RESUME_LIMITS.minContent} to ${RESUME_LIMITS.maxContent} characters`,
  ),
  focus_area: focusArea,
  is_primary: z.boolean(),
};

export const createResumeBody = z.strictObject({
  name: fields.name,
  content: fields.content,
  focus_area: fields.focus_area.default('other'),
  is_primary: fields.is_primary.optional(),
});
export type CreateResume = z.infer<typeof createResumeBody>;

export const updateResumeBody = z
  .strictObject({
    name: fields.name.optional(),
    content: fields.content.optional(),
    focus_area: fields.focus_area.optional(),
    is_primary: fields.is_primary.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one field');
export type UpdateResume = z.infer<typeof updateResumeBody>;

export const listResumesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
