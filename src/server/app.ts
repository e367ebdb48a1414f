import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AiResolver } from './ai-settings/ai-resolver.ts';
import { ComputePool } from './compute/compute-pool.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { createTenant } from './auth/tenant.ts';
import { TokenService } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { SecretBox } from './crypto/secret-box.ts';
import type { Database } from './db/database.ts';
import type { AppDeps } from './http/api.ts';
import type { OutboundOptions } from './net/outbound-guard.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { installMetrics } from './http/metrics.ts';
import { metricsGuard } from './http/metrics-auth.ts';
import { registerWebApp } from './http/web-app.ts';
import { usersRoutes } from './users/users.routes.ts';
import { resumesRoutes } from './resumes/resumes.routes.ts';
import { applicationsRoutes } from './applications/applications.routes.ts';
import { documentsRoutes } from './documents/documents.routes.ts';
import { searchRoutes } from './search/search.routes.ts';
import { similarRoutes } from './search/similar.routes.ts';
import { statsRoutes } from './stats/stats.routes.ts';
import { generationRoutes } from './generation/generation.routes.ts';
import { aiSettingsRoutes } from './ai-settings/ai-settings.routes.ts';
import { matchRoutes } from './match/match.routes.ts';
import { importsRoutes } from './imports/imports.routes.ts';
import { exportsRoutes } from './exports/exports.routes.ts';
import { resumeImportRoutes } from './resume-import/resume-import.routes.ts';
import { GenerationWorker } from './generation/worker.ts';
import { createEmbedder } from './llm/embeddings/index.ts';
import { EmbeddingIndex } from './search/embedding-index.ts';
import { JobEventsListener, jobWakeups } from './generation/wakeups.ts';

export const API_PREFIX = '/api/v1';

/** Every route the app serves: the isolation and fuzz tests are generated from it. */
export interface RouteEntry {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
    /** Runs generation jobs; main.ts starts and stops it with the server. */
    generationWorker: GenerationWorker;
    /** Other instances' job event commits (PostgreSQL LISTEN); main.ts starts it, close stops it. */
    jobEvents: JobEventsListener;
    /** The worker-thread pool for CPU-heavy work; close ends its threads. */
    compute: ComputePool;
  }
}
const BODY_LIMIT = 1024 * 1024;

export interface BuildAppOptions {
  config: Config;
  db: Database;
  secret: string;
  /** false silences request logs (tests). */
  logger?: boolean;
  /** Tests only: the guard's DNS resolver and the fixture server's address (outbound-guard.ts). */
  outbound?: OutboundOptions;
}

/** The feature route modules, each registered under /api/v1. */
const features = [
  authRoutes,
  usersRoutes,
  resumesRoutes,
  applicationsRoutes,
  documentsRoutes,
  searchRoutes,
  similarRoutes,
  statsRoutes,
  generationRoutes,
  aiSettingsRoutes,
  matchRoutes,
  importsRoutes,
  exportsRoutes,
  resumeImportRoutes,
];

function loggerOptions(config: Config) {
  const pretty =
    config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY);
  return pretty
    ? {
        level: config.logLevel,
        transport: {
          target: 'pino-pretty',
          options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' },
        },
      }
    : { level: config.logLevel };
}

/**
 * Fastify's form of JOBFORGE_TRUST_PROXY. Addresses and ranges go as they are; a hop count
 * becomes "the nearest n peers", whatever their address (Fastify takes a bare number as "trust
 * none"), which is only right when the proxies are the sole way in (docs/configuration.md).
 */
function trustProxyOption(trust: Config['trustProxy']) {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(config),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(config.trustProxy),
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  // Created here, its threads only when work arrives; ended after the requests and jobs that use it.
  const compute = new ComputePool(config.compute, app.log);
  app.decorate('compute', compute);
  app.addHook('onClose', () => compute.close());
  // Before the route exists: JOBFORGE_METRICS_TOKEN, when set, guards /metrics.
  app.addHook('onRequest', metricsGuard(config.metricsToken));
  // The listener is created below, with the worker; metrics read it when scraped.
  installMetrics(app, db, () => jobEvents.stats(), compute);
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: r.url, schema: r.schema });
    }
  });
  app.decorate('routeTable', routeTable);

  app.addHook('onSend', async (_req, reply) => {
    void reply.headers({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Job Forge API',
        version: '1',
        description:
          'Resumes, job applications and their documents. Every error is ' +
          '{"error": {"code", "message", "fields"?}}. Authenticate with `Authorization: Bearer <access_token>`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    // Everything under /api/v1 but sign-up/sign-in needs the bearer token.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const needsAuth =
        input.url.startsWith(API_PREFIX) && !input.url.startsWith(`${API_PREFIX}/auth/`);
      return needsAuth ? { ...out, schema: { ...out.schema, security: [{ bearer: [] }] } } : out;
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', withDefaultFonts: false },
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database is reachable (503 otherwise)',
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
        },
      },
    },
    async (req, reply) => {
      try {
        await db.ping();
        return { status: 'ready' as const };
      } catch (err) {
        // The driver's text (host names, role names) is for the log, not for whoever asks.
        req.log.warn({ err }, 'readiness check: the database cannot be reached');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ status: 'unavailable' as const, reason: 'database_unavailable' });
      }
    },
  );

  const outbound = {
    allowPrivateAddresses: config.outbound.allowPrivateAddresses,
    ...opts.outbound,
  };
  const ai = new AiResolver(config, new SecretBox(opts.secret, 'llm api key'), outbound, compute);
  const worker = new GenerationWorker(db, config, app.log, ai);
  app.decorate('generationWorker', worker);
  const jobEvents = new JobEventsListener(db, jobWakeups, app.log);
  app.decorate('jobEvents', jobEvents);
  // After preClose has ended the event streams, before main.ts closes the database.
  app.addHook('onClose', () => jobEvents.stop());
  const tenant = createTenant(db);
  const deps: AppDeps = {
    config,
    db,
    tokens: new TokenService(opts.secret, config.accessTokenTtl, config.refreshTokenTtl),
    tenant,
    jobs: { queued: () => worker.wake(), streamPollMs: () => jobEvents.pollMs() },
    ai,
    outbound,
    compute,
    embeddings: new EmbeddingIndex(tenant, createEmbedder(config.embedding)),
  };
  await app.register(
    (api, _opts, done) => {
      for (const feature of features) feature(api.withTypeProvider<ZodTypeProvider>(), deps);
      done();
    },
    { prefix: API_PREFIX },
  );
  await registerWebApp(app);
  return app;
}
