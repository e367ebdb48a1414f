import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  const where =
    config.database.kind === 'pglite'
      ? `embedded database in ${config.dataDir}`
      : 'PostgreSQL server';
  server.app.log.info(
    `Job Forge is running at ${server.url} (${where}); API docs at ${server.url}/docs`,
  );
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      server.app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    server.app.log.info(`${signal}: finishing in-flight requests, then closing the database`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'clean shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
