import { z } from 'zod';
import './zod-messages.ts';

/**
 * Text that a person typed: no NUL bytes (PostgreSQL cannot store them) and no unpaired UTF-16
 * surrogates (the drivers would silently turn them into U+FFFD, so what we store would differ
 * from what was sent).
 */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => !/\p{Cs}/u.test(s), 'must not contain unpaired surrogate characters');

/**
 * At least n characters as PostgreSQL counts them (code points): zod's min() counts UTF-16 units,
 * so 50 emoji pass min(100) yet fail a CHECK (char_length(...) >= 100). Keeps min() for the
 * OpenAPI minLength and adds the exact check with the same message.
 */
export const minChars = (schema: z.ZodString, n: number) =>
  schema.min(n).refine((s) => [...s].length >= n, `must be at least ${n} characters`);

export const requiredText = (max: number) =>
  text(max).refine((s) => s.trim().length > 0, 'must not be blank');

export const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (
        (u.protocol === 'http:' || u.protocol === 'https:') &&
        u.hostname.length > 0 &&
        !/\s/.test(s)
      );
    } catch {
      return false;
    }
  }, 'must be a valid http(s) URL');

export const idParams = z.strictObject({ id: z.uuid() });
export const timestamp = z.iso.datetime({ offset: true });

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
