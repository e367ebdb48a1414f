import type { Command } from 'commander';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';

export function registerDataCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const db = await openDatabase(loadConfig().database);
      try {
        const applied = await migrate(db);
        console.log(
          applied.length === 0
            ? 'The database is up to date.'
            : `Applied ${applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ')}.`,
        );
      } finally {
        await db.close();
      }
    });
}
