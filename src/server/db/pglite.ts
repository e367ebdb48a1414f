import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, Tx } from './database.ts';
import { retryTransaction, userContextPrelude } from './database.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

const parsers = {
  [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(),
  [types.INT8]: (v: string) => Number(v),
};

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Tx {
  return {
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.rows.length || (r.affectedRows ?? 0) };
    },
  };
}

/**
 * The embedded database. PGlite is one connection in this process: its transaction() queues
 * callers, so transactions never interleave, and it cannot become unreachable the way a server
 * can (if it fails, the process does). The data directory is locked for this process
 * because a second opener corrupts it silently.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  const release = await acquireDataDirLock(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create({
      dataDir: path.join(path.resolve(dataDir), 'pg'),
      extensions: { vector },
      parsers,
    });
  } catch (err) {
    await release();
    throw err;
  }
  let closed = false;
  return {
    kind: 'pglite',
    // The same retry as on a server, though with one connection no two transactions overlap, so
    // PGlite raises neither 40001 nor 40P01. No statement_timeout either: PGlite accepts the
    // setting but never fires it (the single-threaded WebAssembly backend has no timer to
    // interrupt a running statement; pg_sleep(1.5) under a 200 ms limit completes).
    withUser(userId, fn) {
      return retryTransaction(() =>
        pg.transaction(async (t) => {
          await t.exec(userContextPrelude(userId));
          return fn(wrap(t));
        }),
      );
    },
    asOwner(fn) {
      return retryTransaction(() => pg.transaction((t) => fn(wrap(t))));
    },
    async ping() {
      await pg.query('SELECT 1');
    },
    async vacuum() {
      // Outside a transaction (VACUUM refuses to run in one); PGlite queues it between requests.
      await pg.exec('VACUUM (ANALYZE)');
    },
    stats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
      await release();
    },
  };
}
