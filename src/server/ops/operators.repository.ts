import type { Tx } from '../db/database.ts';

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  active: boolean;
  created_at: string;
  resumes: number;
  applications: number;
}

export interface UserRef {
  id: string;
  email: string;
  is_active: boolean;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listUsers(tx: Tx): Promise<UserSummary[]> {
  const { rows } = await tx.query<UserSummary>(
    `SELECT u.id, u.email, u.first_name || ' ' || u.last_name AS name, u.is_active AS active,
            u.created_at,
            (SELECT count(*)::int FROM user_resumes r WHERE r.user_id = u.id) AS resumes,
            (SELECT count(*)::int FROM applications a WHERE a.user_id = u.id) AS applications
       FROM users u
      ORDER BY u.created_at, u.id`,
  );
  return rows;
}

/** A user named by id or by email (case-insensitive, as at sign-in). */
export async function findUser(tx: Tx, idOrEmail: string): Promise<UserRef | undefined> {
  const byId = UUID_RE.test(idOrEmail);
  const { rows } = await tx.query<UserRef>(
    `SELECT id, email, is_active FROM users
      WHERE ${byId ? 'id = $1::uuid' : 'lower(email) = lower($1)'}`,
    [idOrEmail.trim()],
  );
  return rows[0];
}

export async function setActive(tx: Tx, userId: string, active: boolean): Promise<void> {
  await tx.query('UPDATE users SET is_active = $2 WHERE id = $1', [userId, active]);
}

/** Ends every open session of the user; their access tokens stop at the next request. */
export async function revokeSessions(tx: Tx, userId: string, reason: string): Promise<number> {
  const r = await tx.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
      WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, reason],
  );
  await tx.query('DELETE FROM refresh_tokens WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return r.rowCount;
}

export async function contentCounts(
  tx: Tx,
  userId: string,
): Promise<{ resumes: number; applications: number; documents: number }> {
  const { rows } = await tx.query<{ resumes: number; applications: number; documents: number }>(
    `SELECT (SELECT count(*)::int FROM user_resumes WHERE user_id = $1) AS resumes,
            (SELECT count(*)::int FROM applications WHERE user_id = $1) AS applications,
            (SELECT count(*)::int FROM documents WHERE user_id = $1) AS documents`,
    [userId],
  );
  return rows[0]!;
}

/** Every table references users with ON DELETE CASCADE, directly or through its parent. */
export async function deleteUser(tx: Tx, userId: string): Promise<void> {
  await tx.query('DELETE FROM users WHERE id = $1', [userId]);
}

/** An application named by id or by its generated name (company_role_YYYY_MM_DD). */
export async function findApplication(
  tx: Tx,
  idOrName: string,
): Promise<{ id: string; user_id: string; name: string }[]> {
  const byId = UUID_RE.test(idOrName.trim());
  const { rows } = await tx.query<{ id: string; user_id: string; name: string }>(
    `SELECT id, user_id, name FROM applications
      WHERE ${byId ? 'id = $1::uuid' : 'name = $1'} ORDER BY created_at, id LIMIT 10`,
    [idOrName.trim()],
  );
  return rows;
}
