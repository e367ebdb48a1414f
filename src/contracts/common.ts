import { z } from 'zod';
import './zod-messages.ts';

/** Text that a person typed: no NUL bytes (PostgreSQL cannot store them). */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

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
