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

export async function insertSession(
  tx: Tx,
  s: { userId: string; userAgent: string | undefined; ip: string },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO sessions (user_id, user_agent, ip) VALUES ($1, $2, $3) RETURNING id',
    [s.userId, s.userAgent?.slice(0, 512) ?? null, s.ip],
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
 * Marks a refresh token used, if it is still usable. Concurrent callers serialise on the row:
 * exactly one gets the session back.
 */
export async function consumeRefreshToken(tx: Tx, hash: Buffer) {
  const { rows } = await tx.query<{ session_id: string }>(
    `UPDATE refresh_tokens t SET used_at = now()
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()
        AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.session_id AND s.revoked_at IS NULL)
      RETURNING t.session_id`,
    [hash],
  );
  return rows[0]?.session_id;
}

export async function findRefreshToken(tx: Tx, hash: Buffer) {
  const { rows } = await tx.query<{ session_id: string; used_at: string | null }>(
    'SELECT session_id, used_at FROM refresh_tokens WHERE token_hash = $1',
    [hash],
  );
  return rows[0];
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
}

export async function revokeOtherSessions(tx: Tx, keepSessionId: string, reason: string) {
  await tx.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id <> $1 AND revoked_at IS NULL`,
    [keepSessionId, reason],
  );
  await tx.query('DELETE FROM refresh_tokens WHERE session_id <> $1', [keepSessionId]);
}

// --- login throttling (auth_throttle holds hashed keys only) ---

export async function throttleState(tx: Tx, keys: Buffer[], windowSeconds: number) {
  const { rows } = await tx.query<{ key: Uint8Array; failures: number; retry_after: number }>(
    `SELECT key, failures,
            extract(epoch FROM window_started_at + make_interval(secs => $2) - now())::float8 AS retry_after
       FROM auth_throttle
      WHERE key = ANY ($1) AND window_started_at + make_interval(secs => $2) > now()`,
    [keys, windowSeconds],
  );
  return rows;
}

export async function recordFailure(tx: Tx, keys: Buffer[], windowSeconds: number): Promise<void> {
  // Expired windows are dropped here, on the failure path, so the table stays small without a job.
  await tx.query(
    'DELETE FROM auth_throttle WHERE window_started_at < now() - make_interval(secs => $1)',
    [windowSeconds],
  );
  await tx.query(
    `INSERT INTO auth_throttle (key, failures, window_started_at)
     SELECT k, 1, now() FROM unnest($1::bytea[]) AS k
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN auth_throttle.window_started_at + make_interval(secs => $2) > now()
                       THEN auth_throttle.failures + 1 ELSE 1 END,
       window_started_at = CASE WHEN auth_throttle.window_started_at + make_interval(secs => $2) > now()
                       THEN auth_throttle.window_started_at ELSE now() END`,
    [keys, windowSeconds],
  );
}

export async function clearFailures(tx: Tx, key: Buffer): Promise<void> {
  await tx.query('DELETE FROM auth_throttle WHERE key = $1', [key]);
}
