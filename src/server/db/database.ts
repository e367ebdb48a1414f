export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** One connection inside a transaction. Parameterised SQL only: values never go into the text. */
export interface Tx {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** A multi-statement script without parameters (migrations, restores). */
  exec(sql: string): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** A LISTEN subscription (see Database.listen). */
export interface Listening {
  /** True while the LISTEN connection is up: notifications arrive; false while it reconnects. */
  readonly connected: boolean;
  /** For tests and metrics: the backend's pid while connected, how often it connected, messages. */
  stats(): { pid: number | undefined; connects: number; messages: number };
  /** Unlistens and closes the dedicated connection; no reconnect after this. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** The connection dropped or could not be made; it is retried with backoff. */
  onError?(err: Error): void;
  /** The connection went down (false) or is listening again (true). */
  onState?(connected: boolean): void;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs fn in one transaction as the runtime role (jobforge_app) with the user's id set
   * transaction-locally; row-level security scopes every statement to that user. A null user
   * sees no tenant rows at all (used by the authentication paths). On PostgreSQL every statement
   * is bounded by `statement_timeout` (JOBFORGE_STATEMENT_TIMEOUT_MS).
   *
   * Both withUser and asOwner re-run fn after a serialization failure or deadlock
   * (retryTransaction): fn must be safe to run more than once — database work only, no events
   * sent, no provider called, no in-memory state changed that a rolled-back run would leave
   * behind. Failures of the database itself reject with a DatabaseFailure.
   */
  withUser<T>(userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs fn in one transaction as the owner / operator role: migrations, operator commands,
   * catalog checks, backup and restore. Never used on a request path.
   */
  asOwner<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /**
   * Only on PGlite, which has no autovacuum: reclaims dead rows (job heartbeats and event logs
   * leave many) and refreshes the planner's statistics. A PostgreSQL server's autovacuum does
   * this by itself.
   */
  vacuum?(): Promise<void>;
  /**
   * Only on PostgreSQL: delivers every NOTIFY on `channel` (its payload) to `onMessage`, over
   * one dedicated connection outside the pool, reconnecting with backoff when it drops. Several
   * instances on one server need it to hear each other's commits (decision 013). PGlite does not
   * implement it: one process owns its data directory, so every writer is in this process and
   * the in-process JobWakeups already hears it. Close it before close().
   */
  listen?(
    channel: string,
    onMessage: (payload: string) => void,
    opts?: ListenOptions,
  ): Promise<Listening>;
  stats(): PoolStats;
  close(): Promise<void>;
}

export const APP_ROLE = 'jobforge_app';
export const ADMIN_ROLE = 'jobforge_admin';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statement that opens every request transaction. The id is checked against the UUID shape
 * so that it can travel in the same round trip as BEGIN (a simple-protocol batch takes no
 * parameters); so is the statement timeout (an integer; 0 or undefined leaves it unset).
 */
export function userContextPrelude(userId: string | null, statementTimeoutMs?: number): string {
  if (userId !== null && !UUID_RE.test(userId)) throw new Error('user id is not a UUID');
  if (statementTimeoutMs !== undefined && !Number.isSafeInteger(statementTimeoutMs))
    throw new Error('statement timeout is not an integer');
  const timeout = statementTimeoutMs ? `SET LOCAL statement_timeout = ${statementTimeoutMs}; ` : '';
  return `${timeout}SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('app.current_user_id', '${userId ?? ''}', true)`;
}

/**
 * Why a transaction failed for a reason of the database rather than of the request:
 * `unavailable` — no connection could be made or it broke (server down, restarting, unreachable);
 * `busy` — a serialization failure or deadlock was still there after every retry;
 * `timeout` — a statement ran past `statement_timeout` (or the client-side read timeout).
 * The HTTP error handler turns each into a 503 with its own code.
 */
export type DatabaseFailureReason = 'unavailable' | 'busy' | 'timeout';

export class DatabaseFailure extends Error {
  constructor(
    readonly reason: DatabaseFailureReason,
    /** How many times the transaction was run (more than 1 after retries). */
    readonly attempts: number,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`database ${reason} after ${attempts} attempt(s): ${detail}`, { cause });
    this.name = 'DatabaseFailure';
  }
}

// Node's socket errors: the server is down, unreachable, or dropped the connection.
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
// node-postgres and pg-pool report a lost or never-made connection by message only.
const CONNECTION_MESSAGE =
  /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end)/;

/** The failure reason of an error from a driver, or undefined for any other error. */
export function databaseFailureReason(err: unknown): DatabaseFailureReason | undefined {
  if (err instanceof DatabaseFailure) return err.reason;
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // serialization_failure, deadlock_detected
    if (code === '40001' || code === '40P01') return 'busy';
    // query_canceled: statement_timeout (nothing in Job Forge cancels otherwise)
    if (code === '57014') return 'timeout';
    // connection_exception (08…), admin/crash shutdown, cannot connect now, too many connections
    if (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300') return 'unavailable';
    if (SOCKET_ERRORS.has(code)) return 'unavailable';
  }
  if (err.message === 'Query read timeout') return 'timeout';
  if (CONNECTION_MESSAGE.test(err.message)) return 'unavailable';
  // An AggregateError (several addresses tried) carries the socket errors inside.
  if (err instanceof AggregateError && err.errors.some((e) => databaseFailureReason(e)))
    return 'unavailable';
  return undefined;
}

/**
 * The connection failed before the callback ran (BEGIN on a connection the server had already
 * dropped): nothing happened, so the transaction may be run once more on a fresh connection.
 */
export class StaleConnection extends Error {
  constructor(cause: unknown) {
    super('the connection was lost before the transaction began', { cause });
    this.name = 'StaleConnection';
  }
}

export interface RetryOptions {
  /** Runs of the whole transaction at most (default 4: the first and three retries). */
  attempts?: number;
  /** First backoff in ms (default 20), doubled on each retry, with jitter. */
  baseDelayMs?: number;
}

export const TRANSACTION_ATTEMPTS = 4;
const RETRY_BASE_DELAY_MS = 20;

/**
 * Runs one transaction attempt after another: a serialization failure or deadlock (40001,
 * 40P01) re-runs the whole callback after a short jittered backoff (20, 40, 80 ms with the
 * defaults, each between half and all of that), because PostgreSQL has already rolled the
 * transaction back and the same work usually succeeds once the other transaction has finished.
 * Callbacks must therefore be safe to re-run: no side effects outside the transaction. Every
 * failure of the database itself ends as a DatabaseFailure; any other error passes unchanged.
 */
export async function retryTransaction<T>(
  attempt: () => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const max = opts.attempts ?? TRANSACTION_ATTEMPTS;
  const base = opts.baseDelayMs ?? RETRY_BASE_DELAY_MS;
  let staleRetried = false;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof StaleConnection) {
        if (!staleRetried) {
          staleRetried = true;
          n--; // a dropped idle connection is not an attempt of the work
          continue;
        }
        throw new DatabaseFailure('unavailable', n, err.cause);
      }
      const reason = databaseFailureReason(err);
      if (reason === 'busy' && n < max) {
        const ceiling = base * 2 ** (n - 1);
        await new Promise((r) => setTimeout(r, ceiling / 2 + Math.random() * (ceiling / 2)));
        continue;
      }
      if (err instanceof DatabaseFailure) throw new DatabaseFailure(err.reason, n, err.cause);
      if (reason) throw new DatabaseFailure(reason, n, err);
      throw err;
    }
  }
}
