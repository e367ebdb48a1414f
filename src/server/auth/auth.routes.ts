import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loginBody, logoutBody, refreshBody, registerBody, session } from '../../contracts/auth.ts';
import { errorBody } from '../../contracts/common.ts';
import type { AppDeps, ApiApp } from '../http/api.ts';
import { bearerToken } from '../http/authenticate.ts';
import { unauthorized } from '../http/errors.ts';
import { AuthService, type Issued } from './auth.service.ts';

export const REFRESH_COOKIE = 'jobforge_refresh';
const COOKIE_PATH = '/api/v1/auth';

export function authRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new AuthService(deps.db, deps.tokens, deps.config);
  // req.protocol is the socket's, or X-Forwarded-Proto when the peer is a trusted proxy
  // (JOBFORGE_TRUST_PROXY): behind a TLS-terminating proxy the cookie is Secure.
  const cookieSecure = (req: FastifyRequest) =>
    deps.config.cookieSecure === 'auto' ? req.protocol === 'https' : deps.config.cookieSecure;

  const send = (req: FastifyRequest, reply: FastifyReply, issued: Issued, client: string) => {
    if (client === 'api') return { ...issued.session, refresh_token: issued.refreshToken };
    void reply.setCookie(REFRESH_COOKIE, issued.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: cookieSecure(req),
      path: COOKIE_PATH,
      maxAge: deps.config.refreshTokenTtl,
    });
    return issued.session;
  };
  const clientInfo = (req: FastifyRequest) => ({
    ip: req.ip,
    userAgent: req.headers['user-agent'],
  });
  const errors = { 400: errorBody, 401: errorBody, 409: errorBody, 429: errorBody };

  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account and sign in',
        description: 'Limited per address per hour (429 with Retry-After).',
        body: registerBody,
        response: { 201: session, ...errors },
      },
    },
    async (req, reply) => {
      const issued = await service.register(req.body, clientInfo(req));
      return reply.code(201).send(send(req, reply, issued, req.body.client ?? 'browser'));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description:
          'Attempts are counted before the password is checked, per (account, address) pair with a ' +
          'progressive delay and per address (429 with Retry-After).',
        body: loginBody,
        response: { 200: session, 403: errorBody, ...errors },
      },
    },
    async (req, reply) => {
      const issued = await service.login(req.body, clientInfo(req));
      return send(req, reply, issued, req.body.client ?? 'browser');
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new access token (and a new refresh token)',
        description:
          'The refresh token comes from the httpOnly cookie, or from the body for API clients. ' +
          'Each refresh token works once; presenting a used one ends the whole session, except ' +
          'within a few seconds of its rotation from the same client (two tabs refreshing at once), ' +
          'which gets the session’s current tokens.',
        body: refreshBody,
        response: { 200: session, ...errors },
      },
    },
    async (req, reply) => {
      const fromBody = req.body?.refresh_token;
      const token = fromBody ?? req.cookies[REFRESH_COOKIE];
      if (!token) throw unauthorized('No refresh token: sign in again.');
      const issued = await service.refresh(token, clientInfo(req)).catch((err: unknown) => {
        if (!fromBody) void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
        throw err;
      });
      return send(req, reply, issued, fromBody ? 'api' : 'browser');
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: end this session',
        body: logoutBody,
        response: { 204: z.null().describe('Signed out'), 400: errorBody },
      },
    },
    async (req, reply) => {
      const access = bearerToken(req);
      const auth = access ? await deps.tokens.verifyAccess(access) : undefined;
      await service.logout(req.body?.refresh_token ?? req.cookies[REFRESH_COOKIE], auth);
      void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      return reply.code(204).send(null);
    },
  );
}
