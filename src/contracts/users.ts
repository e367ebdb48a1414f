import { z } from 'zod';
import { requiredText, timestamp } from './common.ts';

export const email = z.string().trim().max(254).pipe(z.email());

export const password = z
  .string()
  .min(8)
  .max(128)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const user = z
  .object({
    id: z.uuid(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    is_active: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof user>;

export const updateMeBody = z.strictObject({
  email: email.optional(),
  first_name: requiredText(100).optional(),
  last_name: requiredText(100).optional(),
});

export const deleteMeBody = z.strictObject({ password: z.string().min(1).max(128) });

export const changePasswordBody = z.strictObject({
  current_password: z.string().min(1).max(128),
  new_password: password,
});
