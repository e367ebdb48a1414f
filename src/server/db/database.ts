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
   * sees no tenant rows at all (used by the authentication paths).
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
 * parameters).
 */
export function userContextPrelude(userId: string | null): string {
  if (userId !== null && !UUID_RE.test(userId)) throw new Error('user id is not a UUID');
  return `SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('app.current_user_id', '${userId ?? ''}', true)`;
}
