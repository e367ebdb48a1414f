import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Tx } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: await fs.readFile(path.join(dir, f), 'utf8'),
    })),
  );
}

// Any constant: all instances of Job Forge agree on it.
const MIGRATION_LOCK = 727_347_001;

/**
 * Applies pending migrations, all in one transaction under an advisory lock, so that several
 * instances starting together on one server apply each migration exactly once, and a failing
 * migration leaves the database as it was.
 */
export async function migrate(db: Database, dir?: string): Promise<Migration[]> {
  const migrations = await readMigrations(dir);
  return db.asOwner(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const m of pending) {
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(
          `Migration ${String(m.version).padStart(4, '0')}_${m.name} failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
    }
    return pending;
  });
}

/** The newest migration applied (0 on a database never migrated). */
export async function schemaVersionIn(tx: Tx): Promise<number> {
  // Two statements: a query naming a missing table fails at parse time, whatever a CASE says.
  const { rows: found } = await tx.query<{ t: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (found[0]?.t == null) return 0;
  const { rows } = await tx.query<{ v: number | null }>(
    'SELECT max(version) AS v FROM schema_migrations',
  );
  return rows[0]?.v ?? 0;
}

export async function schemaVersion(db: Database): Promise<number> {
  return db.asOwner(schemaVersionIn);
}
