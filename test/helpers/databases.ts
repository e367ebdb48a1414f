import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import type { Config } from '../../src/server/config.ts';
import { loadConfig } from '../../src/server/config.ts';

export type DbKind = 'pglite' | 'postgres';

/**
 * The databases every database test runs on. Both by default: CI starts PostgreSQL 15
 * (.ci/run). JOBFORGE_TEST_DATABASES=pglite narrows it explicitly; an empty or unknown value is
 * an error (a typo must not quietly run no database tests), and nothing is skipped silently.
 */
export function dbKinds(): DbKind[] {
  return parseDbKinds(process.env.JOBFORGE_TEST_DATABASES);
}

export function parseDbKinds(raw: string | undefined): DbKind[] {
  if (raw === undefined) return ['pglite', 'postgres'];
  const parts = raw.split(',').map((s) => s.trim());
  const unknown = parts.filter((s) => s !== 'pglite' && s !== 'postgres');
  if (unknown.length > 0) {
    throw new Error(
      `JOBFORGE_TEST_DATABASES=${JSON.stringify(raw)}: expected a comma-separated list of pglite and postgres` +
        ` (unknown: ${unknown.map((u) => JSON.stringify(u)).join(', ')})`,
    );
  }
  return [...new Set(parts as DbKind[])];
}

const PG_HOST = process.env.JOBFORGE_TEST_PG_HOST ?? '127.0.0.1:5432';
const OWNER = process.env.JOBFORGE_TEST_PG_OWNER ?? 'jobforge_owner:jobforge';
const RUNTIME = process.env.JOBFORGE_TEST_PG_RUNTIME ?? 'jobforge_runtime:jobforge';

export interface TestDatabase {
  kind: DbKind;
  config: Config;
  /** Removes the database (or the data directory). */
  drop(): Promise<void>;
}

/** A fresh, empty database of the given kind, and a Config pointing at it. */
export async function createTestDatabase(
  kind: DbKind,
  env: Record<string, string> = {},
): Promise<TestDatabase> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-test-'));
  const base = {
    PORT: '0',
    JOBFORGE_DATA_DIR: dataDir,
    JOBFORGE_LOG_LEVEL: process.env.JOBFORGE_TEST_LOG_LEVEL ?? 'silent',
    // Drafting in tests: the offline engine at full speed, workers that look often.
    JOBFORGE_OFFLINE_CHUNK_DELAY_MS: '0',
    JOBFORGE_WORKER_POLL_MS: '50',
    // Every test signs its users up from 127.0.0.1: the per-address limit is tested on its own
    // (auth.test.ts), not met by accident by a file that registers many users.
    JOBFORGE_REGISTRATIONS_PER_ADDRESS_PER_HOUR: '0',
    ...env,
  };
  if (kind === 'pglite') {
    await fs.cp(await pgliteTemplate(), path.join(dataDir, 'pg'), { recursive: true });
    return {
      kind,
      config: loadConfig(base),
      drop: () => fs.rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `jobforge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `postgres://${OWNER}@${PG_HOST}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    kind,
    config: loadConfig({
      ...base,
      DATABASE_URL: `postgres://${RUNTIME}@${PG_HOST}/${name}`,
      JOBFORGE_MIGRATION_DATABASE_URL: `postgres://${OWNER}@${PG_HOST}/${name}`,
      JOBFORGE_DATABASE_POOL_SIZE: '5',
    }),
    async drop() {
      await fs.rm(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: `postgres://${OWNER}@${PG_HOST}/postgres` });
      await c.connect();
      try {
        await dropWhenIdle(c, name);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Drops a test database once its last connection has gone. A pool that has just ended may
 * still have backends shutting down, and the owner role may not terminate another role's
 * backends (WITH (FORCE) then fails with 42501), so wait for them instead.
 */
async function dropWhenIdle(c: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (err) {
      // 55006: object_in_use (a backend has not exited yet).
      if ((err as { code?: string }).code !== '55006' || attempt >= 100) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

let template: Promise<string> | undefined;

/**
 * An initialised, empty (unmigrated) PGlite data directory to copy: initdb costs about 3 s, a
 * copy a few milliseconds. Shared by the test processes of one run through a directory named by
 * the PGlite version; built in a private directory and renamed into place, so concurrent
 * builders never see a half-made template.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    // Our package.json pins PGlite exactly; a data directory only opens in the version that made it.
    const manifest = JSON.parse(
      await fs.readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const version = manifest.dependencies['@electric-sql/pglite'];
    const dir = path.join(os.tmpdir(), `jobforge-pglite-template-${version}`);
    if (await fs.stat(path.join(dir, 'PG_VERSION')).catch(() => undefined)) return dir;
    const building = await fs.mkdtemp(`${dir}-building-`);
    const db = await PGlite.create({ dataDir: building, extensions: { vector } });
    await db.close();
    try {
      await fs.rename(building, dir);
    } catch {
      await fs.rm(building, { recursive: true, force: true }); // another process won the race
    }
    return dir;
  })();
  return template;
}
