import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../src/server/config.ts';
import { deferCleanup } from './cleanup.ts';

export type DbKind = 'pglite' | 'postgres';

/** A fresh, empty database for one benchmark run, and how to reach it. */
export interface BenchDatabase {
  kind: DbKind;
  /** The server database's name (PostgreSQL only): its backends are found by it. */
  name?: string;
  /** Always a new temp directory: PGlite's data, and the server's data dir on both kinds. */
  dataDir: string;
  /** What openDatabase() takes, in the bench process. */
  config: Config['database'];
  /** The server child's database variables. */
  serverEnv: Record<string, string>;
  /** Removes the directory and, on the server, drops the database. Runs once. */
  drop(): Promise<void>;
}

export interface PostgresUrls {
  /** postgres://owner:password@host:port — without a database name. */
  owner: string;
  runtime: string;
}

async function ownerQuery(urls: PostgresUrls, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${urls.owner}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** poolSize: the bench's own pool on PostgreSQL, the same size as the server's. */
export async function createBenchDatabase(
  kind: DbKind,
  urls: PostgresUrls,
  poolSize: number,
): Promise<BenchDatabase> {
  const db = await newDatabase(kind, urls, poolSize);
  return { ...db, drop: deferCleanup(() => db.drop()) };
}

async function newDatabase(
  kind: DbKind,
  urls: PostgresUrls,
  poolSize: number,
): Promise<BenchDatabase> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-bench-'));
  const removeDir = () => fs.rm(dataDir, { recursive: true, force: true });
  if (kind === 'pglite') {
    return {
      kind,
      dataDir,
      config: { kind: 'pglite', dataDir },
      serverEnv: {},
      drop: removeDir,
    };
  }
  // Random hex only: the name is interpolated into CREATE/DROP DATABASE.
  const name = `jobforge_bench_${randomBytes(6).toString('hex')}`;
  try {
    await ownerQuery(urls, `CREATE DATABASE ${name}`);
  } catch (err) {
    await removeDir();
    throw err;
  }
  const url = `${urls.runtime}/${name}`;
  const migrationUrl = `${urls.owner}/${name}`;
  return {
    kind,
    name,
    dataDir,
    config: { kind: 'postgres', url, migrationUrl, poolSize },
    serverEnv: { DATABASE_URL: url, JOBFORGE_MIGRATION_DATABASE_URL: migrationUrl },
    async drop() {
      await removeDir();
      await dropDatabase(urls, name);
    },
  };
}

/**
 * Plain DROP first: WITH (FORCE) fails outright when a backend of the runtime role is still
 * there (the owner may not terminate it), and one whose client has just disconnected is still
 * exiting for a moment; a plain DROP waits up to 5 s for it. FORCE second, for the owner's own
 * connections of an interrupted seeding.
 */
async function dropDatabase(urls: PostgresUrls, name: string): Promise<void> {
  try {
    await ownerQuery(urls, `DROP DATABASE IF EXISTS ${name}`);
  } catch {
    await new Promise((r) => setTimeout(r, 2000));
    await ownerQuery(urls, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
