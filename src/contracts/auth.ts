import { z } from 'zod';
import { requiredText } from './common.ts';
import { email, password, user } from './users.ts';

const client = z
  .enum(['browser', 'api'])
  .default('browser')
  .describe(
    '"browser" (default): the refresh token is set only as an httpOnly cookie. ' +
      '"api" (CLI, scripts): it is returned in the body as refresh_token.',
  );

export const registerBody = z.strictObject({
  email,
  password,
  first_name: requiredText(100),
  last_name: requiredText(100),
  client: client.optional(),
});

export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(128),
  client: client.optional(),
});

export const refreshBody = z
  .strictObject({
    refresh_token: z.string().min(1).max(512).optional(),
  })
  .nullish();

export const logoutBody = refreshBody;

export const session = z
  .object({
    user,
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string().optional().describe('Only for client "api".'),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof session>;
