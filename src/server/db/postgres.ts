import pg from 'pg';
import type { Database, Listening, ListenOptions, Tx } from './database.ts';
import {
  DatabaseFailure,
  databaseFailureReason,
  retryTransaction,
  StaleConnection,
  userContextPrelude,
} from './database.ts';

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

/** Defaults when the caller names none (config.ts passes the operator's values). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
// The client-side read timeout stays above statement_timeout, so that the server's own, clearer
// error normally wins; it only fires when the server stopped answering altogether.
const READ_TIMEOUT_MARGIN_MS = 5_000;

/** One run of a transaction on one pooled connection (retryTransaction decides on re-runs). */
async function attemptTransaction<T>(
  pool: pg.Pool,
  begin: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    // Bounded by connectionTimeoutMillis, the wait for a free connection included.
    client = await pool.connect();
  } catch (err) {
    // Refused, timed out, a wrong password or a missing database: no request can be served.
    throw new DatabaseFailure('unavailable', 1, err);
  }
  // A checked-out client has no error listener of the pool's: without this one, the server
  // dropping the connection between two queries would be an uncaught 'error' event (a crash).
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost ??= err;
  };
  client.on('error', onError);
  let broken = false;
  let begun = false;
  try {
    try {
      await client.query(begin);
      begun = true;
    } catch (err) {
      // The server had dropped this idle connection before we used it: nothing ran yet.
      if (databaseFailureReason(err) === 'unavailable') throw new StaleConnection(err);
      throw err;
    }
    const result = await fn(wrap(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A lost connection has nothing to roll back (the server ended the transaction with it).
    if (begun && !lost) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // a connection that cannot roll back must not go back to the pool
      }
    }
    // Nothing was committed; retryTransaction tells a database failure from the callback's own.
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(broken || !begun || lost !== undefined);
  }
}

function inTransaction<T>(pool: pg.Pool, begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return retryTransaction(() => attemptTransaction(pool, begin, fn));
}

/**
 * A PostgreSQL server. Requests use a pool on DATABASE_URL; owner work (migrations, operator
 * commands) uses a small separate pool on the migration URL, opened on first use.
 *
 * When the server is down or unreachable nothing waits long: making a connection, and waiting
 * for a free one in the pool, give up after `connectTimeoutMs`; new connections are made on
 * demand, so service resumes by itself when the server is back. Connections the server drops
 * while idle leave the pool (its 'error' event) without taking the process down.
 */
export function openPostgres(opts: {
  url: string;
  migrationUrl: string;
  poolSize: number;
  /** 0: no limit. Applies to withUser transactions (requests, the worker), not to asOwner. */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}): Database {
  const statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    types: typeParsers,
    application_name: 'jobforge',
    connectionTimeoutMillis: connectTimeoutMs,
    // The server silently gone (a network partition) fails the query instead of hanging it.
    query_timeout: statementTimeoutMs > 0 ? statementTimeoutMs + READ_TIMEOUT_MARGIN_MS : undefined,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its server connection (a restart, a fast shutdown) must not crash the
  // process; the pool has already discarded it, and the next request connects afresh.
  pool.on('error', () => {});
  let ownerPool: pg.Pool | undefined;
  const owner = () => {
    if (!ownerPool) {
      ownerPool = new pg.Pool({
        connectionString: opts.migrationUrl,
        max: 2,
        types: typeParsers,
        application_name: 'jobforge-owner',
        connectionTimeoutMillis: connectTimeoutMs,
        keepAlive: true,
      });
      ownerPool.on('error', () => {});
    }
    return ownerPool;
  };
  return {
    kind: 'postgres',
    withUser(userId, fn) {
      return inTransaction(pool, `BEGIN; ${userContextPrelude(userId, statementTimeoutMs)}`, fn);
    },
    asOwner(fn) {
      return inTransaction(owner(), 'BEGIN', fn);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    listen(channel, onMessage, listenOpts) {
      return listenOn(opts.url, channel, onMessage, listenOpts ?? {});
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await Promise.all([pool.end(), ownerPool?.end()]);
    },
  };
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * LISTEN on one dedicated connection, outside the pool: a pooled connection goes back to other
 * work between transactions, and a LISTEN lives as long as its session. Same URL (role) as the
 * pool; LISTEN needs no privilege. When the connection drops it is made again with backoff
 * (250 ms doubling to 10 s); notifications sent meanwhile are lost, which is why the caller
 * polls often while `connected` is false. TCP keep-alive notices a silently dead peer.
 */
async function listenOn(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  opts: ListenOptions,
): Promise<Listening> {
  // The channel goes into the statement's text (LISTEN takes no parameter).
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error('channel is not a plain identifier');
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let pid: number | undefined;
  let connects = 0;
  let messages = 0;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> | undefined;

  const setConnected = (up: boolean) => {
    if (connected === up) return;
    connected = up;
    opts.onState?.(up);
  };

  // The current connection failed (or never came up): forget it and try again later.
  const lost = (c: pg.Client, err: Error) => {
    if (client !== c || closed) return;
    client = undefined;
    pid = undefined;
    setConnected(false);
    opts.onError?.(err);
    c.end().catch(() => {});
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  const connect = (): Promise<void> => {
    timer = undefined;
    const c = new pg.Client({
      connectionString: url,
      application_name: 'jobforge-listen',
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client = c;
    c.on('notification', (msg) => {
      if (client !== c || msg.channel !== channel) return;
      messages++;
      onMessage(msg.payload ?? '');
    });
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('the LISTEN connection closed')));
    attempt = (async () => {
      try {
        await c.connect();
        await c.query(`LISTEN ${channel}`);
        const r = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        if (client !== c || closed) return; // lost meanwhile, or close() ends it
        pid = r.rows[0]?.pid;
        connects++;
        delay = RECONNECT_MIN_MS;
        setConnected(true);
      } catch (err) {
        lost(c, err as Error);
      }
    })();
    return attempt;
  };

  await connect();
  return {
    get connected() {
      return connected;
    },
    stats: () => ({ pid, connects, messages }),
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      await attempt;
      const c = client;
      client = undefined;
      pid = undefined;
      connected = false;
      await c?.end().catch(() => {});
    },
  };
}
