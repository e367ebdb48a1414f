import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { assertCatalogSafe, loginRoleWarnings } from './db/catalog-check.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import type { OutboundOptions } from './net/outbound-guard.ts';
import { resolveSecret } from './secret.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opens the database, applies migrations, refuses to serve if row-level security would not hold,
 * then listens. stop() finishes in-flight requests and closes the database cleanly.
 */
export async function startServer(
  config: Config,
  opts: { logger?: boolean; outbound?: OutboundOptions } = {},
): Promise<RunningServer> {
  const db = await openDatabase(config.database);
  let app: FastifyInstance | undefined;
  let vacuumTimer: NodeJS.Timeout | undefined;
  try {
    const applied = await migrate(db);
    await assertCatalogSafe(db);
    // PGlite runs single-user, without autovacuum: without this its planner would never have
    // statistics. ANALYZE samples, so it stays quick on a large database.
    if (db.kind === 'pglite') await db.asOwner((tx) => tx.exec('ANALYZE'));
    const secret = await resolveSecret(config.secret, config.dataDir);
    app = await buildApp({ config, db, secret, logger: opts.logger, outbound: opts.outbound });
    if (applied.length > 0) {
      app.log.info(`Applied migrations ${applied.map((m) => `${m.version}_${m.name}`).join(', ')}`);
    }
    for (const warning of await loginRoleWarnings(db)) app.log.warn(warning);
    if (config.database.kind === 'postgres' && !config.secret) {
      app.log.warn(
        'JOBFORGE_SECRET is not set: every instance behind a load balancer needs the same secret.',
      );
    }
    // On PostgreSQL, before serving: event streams hear other instances' commits from the start.
    await app.jobEvents.start();
    await app.listen({ port: config.port, host: config.host });
    if (config.worker.enabled) app.generationWorker.start();
    vacuumTimer = scheduleVacuum(db, app);
  } catch (err) {
    await app?.close().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  const started = app;
  return {
    app: started,
    db,
    url: `http://${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        // A connection busy now goes idle once its response is sent; it must close then, not
        // hold close() open for Fastify's 72-second keep-alive timeout.
        started.server.keepAliveTimeout = 1;
        clearInterval(vacuumTimer);
        // Jobs in progress go back to the queue (another instance, or the next start, resumes
        // them) while the database is still open.
        await started.generationWorker.stop();
        // Stops accepting, waits for in-flight requests; its onClose hook ends the LISTEN
        // connection, so nothing holds the database when it closes.
        await started.close();
        await db.close();
      })();
      return stopping;
    },
  };
}

const VACUUM_EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * PGlite's periodic VACUUM. A timer, not a job: the embedded database has exactly one process,
 * and missing a run (the laptop slept) only delays housekeeping to the next one.
 */
function scheduleVacuum(db: Database, app: FastifyInstance): NodeJS.Timeout | undefined {
  const vacuum = db.vacuum?.bind(db);
  if (!vacuum) return undefined;
  const timer = setInterval(() => {
    const started = Date.now();
    vacuum().then(
      () => app.log.info(`VACUUM of the embedded database took ${Date.now() - started} ms`),
      (err: unknown) => app.log.warn({ err }, 'VACUUM of the embedded database failed'),
    );
  }, VACUUM_EVERY_MS);
  timer.unref();
  return timer;
}
