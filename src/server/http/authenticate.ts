import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/tenant.ts';
import type { TokenService } from '../auth/tokens.ts';
import { unauthorized } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | undefined;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1];
}

/** Hook for routes that need a signed-in user: verifies the access token, sets request.auth. */
export function authenticate(tokens: TokenService) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token) throw unauthorized('Sign in to continue: this request needs an access token.');
    const claims = await tokens.verifyAccess(token);
    if (!claims)
      throw unauthorized(
        'Your access token is invalid or has expired. Sign in again or refresh it.',
      );
    req.auth = claims;
  };
}

/** request.auth for a handler behind authenticate(). */
export function authOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw unauthorized();
  return req.auth;
}
