import pg from 'pg';
import type { Database, Listening, ListenOptions, Tx } from './database.ts';
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
