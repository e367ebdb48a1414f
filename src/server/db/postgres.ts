import pg from 'pg';
import type { Database, Tx } from './database.ts';
import { userContextPrelude } from './database.ts';

// Same shapes as the PGlite adapter: timestamps as ISO strings, counts as numbers.
const TIMESTAMPTZ = 1184;
const INT8 = 20;
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
    if (oid === INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

function wrap(client: pg.PoolClient): Tx {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const r = await client.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

async function inTransaction<T>(
  pool: pg.Pool,
  begin: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(begin);
    const result = await fn(wrap(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // a connection that cannot roll back must not go back to the pool
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * A PostgreSQL server. Requests use a pool on DATABASE_URL; owner work (migrations, operator
 * commands) uses a small separate pool on the migration URL, opened on first use.
 */
export function openPostgres(opts: {
  url: string;
  migrationUrl: string;
  poolSize: number;
}): Database {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    types: typeParsers,
    application_name: 'jobforge',
  });
  // An idle client losing its server connection must not crash the process.
  pool.on('error', () => {});
  let ownerPool: pg.Pool | undefined;
  const owner = () => {
    if (!ownerPool) {
      ownerPool = new pg.Pool({
        connectionString: opts.migrationUrl,
        max: 2,
        types: typeParsers,
        application_name: 'jobforge-owner',
      });
      ownerPool.on('error', () => {});
    }
    return ownerPool;
  };
  return {
    kind: 'postgres',
    withUser(userId, fn) {
      return inTransaction(pool, `BEGIN; ${userContextPrelude(userId)}`, fn);
    },
    asOwner(fn) {
      return inTransaction(owner(), 'BEGIN', fn);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await Promise.all([pool.end(), ownerPool?.end()]);
    },
  };
}
