import type { Tx } from '../db/database.ts';
import type { User } from '../../contracts/users.ts';

export const USER_COLUMNS = 'id, email, first_name, last_name, is_active, created_at, updated_at';

export async function lookupForLogin(tx: Tx, email: string) {
  const { rows } = await tx.query<{ id: string; password_hash: string; is_active: boolean }>(
    'SELECT id, password_hash, is_active FROM auth_lookup_user($1)',
    [email],
  );
  return rows[0];
}

export async function emailTaken(tx: Tx, email: string): Promise<boolean> {
  const { rows } = await tx.query<{ taken: boolean }>('SELECT auth_email_taken($1) AS taken', [
    email,
  ]);
  return rows[0]?.taken === true;
}

export async function insertUser(
  tx: Tx,
  u: { id: string; email: string; passwordHash: string; firstName: string; lastName: string },
): Promise<User> {
  const { rows } = await tx.query<User>(
    `INSERT INTO users (id, email, password_hash, first_name, last_name)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
    [u.id, u.email, u.passwordHash, u.firstName, u.lastName],
  );
  return rows[0]!;
}

export async function findUser(tx: Tx, id: string): Promise<User | undefined> {
  const { rows } = await tx.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

/** Sessions keep this much of the client's User-Agent. */
export const USER_AGENT_KEPT = 512;

export async function insertSession(
  tx: Tx,
  s: { userId: string; userAgent: string | undefined; ip: string },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO sessions (user_id, user_agent, ip) VALUES ($1, $2, $3) RETURNING id',
    [s.userId, s.userAgent?.slice(0, USER_AGENT_KEPT) ?? null, s.ip],
  );
  return rows[0]!.id;
}

export async function insertRefreshToken(
  tx: Tx,
  t: { hash: Buffer; userId: string; sessionId: string; ttlSeconds: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO refresh_tokens (token_hash, user_id, session_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [t.hash, t.userId, t.sessionId, t.ttlSeconds],
  );
}

/**
 * Marks a refresh token used, if it is still usable, and keeps its successor (sealed) for the
 * reuse grace window. Concurrent callers serialise on the row: exactly one gets the session back.
 */
export async function consumeRefreshToken(tx: Tx, hash: Buffer, successorSealed: string) {
  const { rows } = await tx.query<{ session_id: string }>(
    `UPDATE refresh_tokens t SET used_at = now(), successor_sealed = $2
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()
        AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.session_id AND s.revoked_at IS NULL)
      RETURNING t.session_id`,
    [hash, successorSealed],
  );
  return rows[0]?.session_id;
}

export interface KnownRefreshToken {
  session_id: string;
  used_at: string | null;
  /** Seconds since it was used (null while unused). */
  used_seconds_ago: number | null;
  expired: boolean;
  successor_sealed: string | null;
  session_revoked: boolean;
  session_user_agent: string | null;
}

export async function findRefreshToken(tx: Tx, hash: Buffer) {
  const { rows } = await tx.query<KnownRefreshToken>(
    `SELECT t.session_id, t.used_at, t.successor_sealed,
            extract(epoch FROM now() - t.used_at)::float8 AS used_seconds_ago,
            t.expires_at <= now() AS expired,
            s.revoked_at IS NOT NULL AS session_revoked, s.user_agent AS session_user_agent
       FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
      WHERE t.token_hash = $1`,
    [hash],
  );
  return rows[0];
}

/** Successors are kept only while a reuse could still be a racing tab. */
export async function forgetSuccessors(
  tx: Tx,
  sessionId: string,
  graceSeconds: number,
): Promise<void> {
  await tx.query(
    `UPDATE refresh_tokens SET successor_sealed = NULL
      WHERE session_id = $1 AND successor_sealed IS NOT NULL
        AND used_at < now() - make_interval(secs => $2)`,
    [sessionId, graceSeconds],
  );
}

export async function touchSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.query('UPDATE sessions SET last_used_at = now() WHERE id = $1', [sessionId]);
}

export async function revokeSession(tx: Tx, sessionId: string, reason: string): Promise<void> {
  await tx.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
    [sessionId, reason],
  );
  await tx.query('DELETE FROM refresh_tokens WHERE session_id = $1 AND used_at IS NULL', [
    sessionId,
  ]);
  await tx.query(
    'UPDATE refresh_tokens SET successor_sealed = NULL WHERE session_id = $1 AND successor_sealed IS NOT NULL',
    [sessionId],
  );
}

export async function revokeOtherSessions(tx: Tx, keepSessionId: string, reason: string) {
  await tx.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id <> $1 AND revoked_at IS NULL`,
    [keepSessionId, reason],
  );
  await tx.query('DELETE FROM refresh_tokens WHERE session_id <> $1', [keepSessionId]);
}

// --- throttling (auth_throttle holds hashed keys only; decision 065) ---

/** A counter's answer: admitted (this attempt is counted), or refused with the wait. */
export type Reservation = { admitted: true } | { admitted: false; retryAfter: number };

/** Rows nobody has touched for this long are forgotten (the longest delay a pair can earn). */
export const THROTTLE_MEMORY_SECONDS = 24 * 3600;

/**
 * Counts one attempt against a fixed window of `windowSeconds` holding at most `max`, and says
 * whether it was admitted. One statement on a locked row: concurrent callers serialise on it,
 * so exactly `max` attempts are admitted per window however many arrive at once.
 */
export async function reserveInWindow(
  tx: Tx,
  key: Buffer,
  max: number,
  windowSeconds: number,
): Promise<Reservation> {
  const { rows } = await tx.query<{ failures: number }>(
    `INSERT INTO auth_throttle AS t (key, failures, window_started_at, last_attempt_at)
     VALUES ($1, 1, now(), now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_started_at + make_interval(secs => $2) > now()
                       THEN t.failures + 1 ELSE 1 END,
       window_started_at = CASE WHEN t.window_started_at + make_interval(secs => $2) > now()
                       THEN t.window_started_at ELSE now() END,
       last_attempt_at = now()
     WHERE t.window_started_at + make_interval(secs => $2) <= now() OR t.failures < $3
     RETURNING failures`,
    [key, windowSeconds, max],
  );
  if (rows.length > 0) return { admitted: true };
  return refused(tx, key, 'window_started_at + make_interval(secs => $2) - now()', [windowSeconds]);
}

/**
 * The wait a pair has earned after `failures` attempts: none up to `free`, then `base` seconds,
 * doubling with each further failure, at most THROTTLE_MEMORY_SECONDS. SQL over t.failures; the
 * exponent is capped so power() stays finite.
 */
const PAIR_DELAY = `least(${THROTTLE_MEMORY_SECONDS}::float8,
  $3::float8 * power(2::float8, least(greatest(t.failures - $2, 0), 30)))`;

/**
 * Counts one attempt of an (account, address) pair with a progressive delay: `free` attempts at
 * once, then each further one only `base`, 2·`base`, 4·`base`… seconds after the previous one.
 * Atomic like reserveInWindow. A pair left alone for THROTTLE_MEMORY_SECONDS starts over.
 */
export async function reservePair(
  tx: Tx,
  key: Buffer,
  free: number,
  baseDelaySeconds: number,
): Promise<Reservation> {
  const { rows } = await tx.query<{ failures: number }>(
    `INSERT INTO auth_throttle AS t (key, failures, window_started_at, last_attempt_at)
     VALUES ($1, 1, now(), now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.last_attempt_at + make_interval(secs => $4) <= now()
                       THEN 1 ELSE t.failures + 1 END,
       window_started_at = CASE WHEN t.last_attempt_at + make_interval(secs => $4) <= now()
                       THEN now() ELSE t.window_started_at END,
       last_attempt_at = now()
     WHERE t.failures < $2
        OR t.last_attempt_at + make_interval(secs => $4) <= now()
        OR t.last_attempt_at + make_interval(secs => ${PAIR_DELAY}) <= now()
     RETURNING failures`,
    [key, free, baseDelaySeconds, THROTTLE_MEMORY_SECONDS],
  );
  if (rows.length > 0) return { admitted: true };
  return refused(tx, key, `last_attempt_at + make_interval(secs => ${PAIR_DELAY}) - now()`, [
    free,
    baseDelaySeconds,
  ]);
}

async function refused(
  tx: Tx,
  key: Buffer,
  until: string,
  params: unknown[],
): Promise<Reservation> {
  const { rows } = await tx.query<{ retry_after: number }>(
    `SELECT extract(epoch FROM ${until})::float8 AS retry_after FROM auth_throttle t WHERE key = $1`,
    [key, ...params],
  );
  return { admitted: false, retryAfter: Math.max(1, rows[0]?.retry_after ?? 1) };
}

/** Takes back one attempt counted by reserveInWindow (it turned out to be a success). */
export async function releaseAttempt(tx: Tx, key: Buffer): Promise<void> {
  await tx.query('UPDATE auth_throttle SET failures = greatest(failures - 1, 0) WHERE key = $1', [
    key,
  ]);
}

export async function clearThrottle(tx: Tx, key: Buffer): Promise<void> {
  await tx.query('DELETE FROM auth_throttle WHERE key = $1', [key]);
}

/** Drops rows nobody has touched for a day, on the failure path: the table stays small. */
export async function forgetOldAttempts(tx: Tx): Promise<void> {
  await tx.query(
    'DELETE FROM auth_throttle WHERE last_attempt_at < now() - make_interval(secs => $1)',
    [THROTTLE_MEMORY_SECONDS],
  );
}
