import type { FocusArea, Resume } from '../../contracts/resumes.ts';
import type { Tx } from '../db/database.ts';

// Never `search` (a generated tsvector) nor user_id.
const COLUMNS = 'id, name, content, focus_area, is_primary, created_at, updated_at';

/**
 * Serialises a user's resume writes for the rest of the transaction. The primary flag is decided
 * from the other rows (first resume, demote-then-promote), which a concurrent writer could change
 * between our read and our write; there may be no row yet to lock, hence an advisory lock.
 */
export async function lockUserResumes(tx: Tx, userId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('user_resumes:' || $1, 0))`, [
    userId,
  ]);
}

export async function list(
  tx: Tx,
  userId: string,
  limit: number,
  offset: number,
): Promise<{ items: Resume[]; total: number }> {
  const { rows } = await tx.query<Resume>(
    `SELECT ${COLUMNS} FROM user_resumes WHERE user_id = $1
      ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
    [userId, limit, offset],
  );
  const count = await tx.query<{ total: number }>(
    'SELECT count(*) AS total FROM user_resumes WHERE user_id = $1',
    [userId],
  );
  return { items: rows, total: count.rows[0]?.total ?? 0 };
}

export async function find(tx: Tx, userId: string, id: string): Promise<Resume | undefined> {
  const { rows } = await tx.query<Resume>(
    `SELECT ${COLUMNS} FROM user_resumes WHERE id = $1 AND user_id = $2`,
    [id, userId],
  );
  return rows[0];
}

export async function hasAny(tx: Tx, userId: string): Promise<boolean> {
  const { rows } = await tx.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM user_resumes WHERE user_id = $1) AS any',
    [userId],
  );
  return rows[0]?.any === true;
}

/** Clears the primary flag on every resume of the user except `keepId`. */
export async function demoteOthers(tx: Tx, userId: string, keepId: string | null): Promise<void> {
  await tx.query(
    `UPDATE user_resumes SET is_primary = false
      WHERE user_id = $1 AND is_primary AND ($2::uuid IS NULL OR id <> $2::uuid)`,
    [userId, keepId],
  );
}

export async function insert(
  tx: Tx,
  userId: string,
  r: { name: string; content: string; focus_area: FocusArea; is_primary: boolean },
): Promise<Resume> {
  const { rows } = await tx.query<Resume>(
    `INSERT INTO user_resumes (user_id, name, content, focus_area, is_primary)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [userId, r.name, r.content, r.focus_area, r.is_primary],
  );
  return rows[0]!;
}

export async function update(
  tx: Tx,
  userId: string,
  id: string,
  patch: { name?: string; content?: string; focus_area?: FocusArea; is_primary?: boolean },
): Promise<Resume | undefined> {
  const { rows } = await tx.query<Resume>(
    `UPDATE user_resumes
        SET name = coalesce($3, name), content = coalesce($4, content),
            focus_area = coalesce($5::focus_area, focus_area),
            is_primary = coalesce($6, is_primary)
      WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
    [
      id,
      userId,
      patch.name ?? null,
      patch.content ?? null,
      patch.focus_area ?? null,
      patch.is_primary ?? null,
    ],
  );
  return rows[0];
}

/** Deletes the resume; tells whether it was the primary one (undefined: no such resume). */
export async function remove(
  tx: Tx,
  userId: string,
  id: string,
): Promise<{ was_primary: boolean } | undefined> {
  const { rows } = await tx.query<{ was_primary: boolean }>(
    'DELETE FROM user_resumes WHERE id = $1 AND user_id = $2 RETURNING is_primary AS was_primary',
    [id, userId],
  );
  return rows[0];
}

/** Makes the most recently updated resume of the user primary, if there is one. */
export async function promoteMostRecent(tx: Tx, userId: string): Promise<void> {
  await tx.query(
    `UPDATE user_resumes SET is_primary = true
      WHERE id = (SELECT id FROM user_resumes WHERE user_id = $1
                   ORDER BY updated_at DESC, created_at DESC, id DESC LIMIT 1)
        AND user_id = $1`,
    [userId],
  );
}

export async function findPrimary(tx: Tx, userId: string): Promise<Resume | undefined> {
  const { rows } = await tx.query<Resume>(
    `SELECT ${COLUMNS} FROM user_resumes WHERE user_id = $1 AND is_primary`,
    [userId],
  );
  return rows[0];
}
