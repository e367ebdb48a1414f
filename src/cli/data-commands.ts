import path from 'node:path';
import type { Command } from 'commander';
import { migrate } from '../server/db/migrate.ts';
import type { BackupSummary } from '../server/ops/backup.service.ts';
import { backupDatabase, migrateAndRestore } from '../server/ops/backup.service.ts';
import { withOperatorDatabase } from './operator-database.ts';

const perTable = (s: BackupSummary) => s.tables.map((t) => `${t.name} ${t.rows}`).join(', ');
const total = (s: BackupSummary) => s.tables.reduce((n, t) => n + t.rows, 0);

export function registerDataCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(() =>
      withOperatorDatabase(async (db) => {
        const applied = await migrate(db);
        console.log(
          applied.length === 0
            ? 'The database is up to date.'
            : `Applied ${applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ')}.`,
        );
      }),
    );

  program
    .command('backup')
    .argument('<file>', 'where to write the backup (gzip-compressed JSON Lines)')
    .description(
      "write every user's data to a file, from one consistent snapshot; works on PGlite and PostgreSQL alike (stop the server first on PGlite)",
    )
    .action((file: string) =>
      withOperatorDatabase(async (db) => {
        const summary = await backupDatabase(db, path.resolve(file));
        console.log(
          `Backed up ${total(summary)} rows (schema ${summary.schemaVersion}) to ${file}: ${perTable(summary)}.`,
        );
      }),
    );

  program
    .command('restore')
    .argument('<file>', 'a file written by `jobforge backup`, from PGlite or PostgreSQL')
    .description(
      'load a backup into an empty database, in one transaction (refuses a database holding data before changing it, then applies migrations; stop the server first on PGlite)',
    )
    .action((file: string) =>
      withOperatorDatabase(async (db) => {
        const summary = await migrateAndRestore(db, path.resolve(file));
        console.log(
          `Restored ${total(summary)} rows (schema ${summary.schemaVersion}, backed up from ${summary.header.database} at ${summary.header.created_at}) from ${file}: ${perTable(summary)}.`,
        );
      }),
    );
}
