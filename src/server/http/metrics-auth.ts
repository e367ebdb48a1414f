import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { bearerToken } from './authenticate.ts';
import { AppError } from './errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * JOBFORGE_METRICS_TOKEN: an onRequest hook that lets /metrics answer only a scraper sending
 * `Authorization: Bearer <token>`. Both sides are hashed first, so the comparison takes the same
 * time whatever the length or the first wrong character. Without a token, nothing changes.
 */
export function metricsGuard(token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!expected || req.routeOptions.url !== '/metrics') return done();
    const given = bearerToken(req);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return done();
    done(
      new AppError(
        401,
        'unauthorized',
        'Metrics need the operator’s token: send Authorization: Bearer <JOBFORGE_METRICS_TOKEN>.',
        undefined,
        { 'www-authenticate': 'Bearer realm="metrics"' },
      ),
    );
  };
}
