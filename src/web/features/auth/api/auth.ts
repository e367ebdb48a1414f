import { z } from 'zod';
import type { Session } from '../../../../contracts/auth.ts';
import { email, password } from '../../../../contracts/users.ts';
import { requiredText } from '../../../../contracts/common.ts';
import { api } from '../../../lib/api-client.ts';
import { signedIn } from '../../../lib/session-store.ts';

// The API's own field rules (registerBody/loginBody) minus `client`, which the app never sets.
export const signUpForm = z.object({
  email,
  password,
  first_name: requiredText(100),
  last_name: requiredText(100),
});
export type SignUpForm = z.infer<typeof signUpForm>;

export const signInForm = z.object({
  email: z.string().trim().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(128),
});
export type SignInForm = z.infer<typeof signInForm>;

export async function signUp(input: SignUpForm): Promise<void> {
  const s = await api<Session>('POST', '/auth/register', { body: input });
  signedIn(s.user, s.access_token);
}

export async function signIn(input: SignInForm): Promise<void> {
  const s = await api<Session>('POST', '/auth/login', { body: input });
  signedIn(s.user, s.access_token);
}
