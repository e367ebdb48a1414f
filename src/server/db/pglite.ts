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

/**
 * PGlite runs each statement synchronously on this thread, and a transaction's statements,
 * awaited one after the other, chain as microtasks: without a break, a transaction of several
 * heavy statements (a 200,000-character document indexed for search, its version, its event) is
 * one long task that holds every other request up. Each statement therefore waits for the event
 * loop's next turn first, so at worst one statement, not one transaction, runs between two
 * other requests (measured: the hostile bench's worst /healthz wait during offline drafting).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Tx {
  return {
    async exec(sql: string) {
      await nextTurn();
      await q.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      await nextTurn();
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
