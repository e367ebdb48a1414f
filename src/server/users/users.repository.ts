import type { Tx } from '../db/database.ts';
import type { User } from '../../contracts/users.ts';
import { USER_COLUMNS } from '../auth/auth.repository.ts';

export async function getMe(tx: Tx, userId: string): Promise<User | undefined> {
  const { rows } = await tx.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
    userId,
  ]);
  return rows[0];
}

export async function updateMe(
  tx: Tx,
  userId: string,
  patch: { email?: string; first_name?: string; last_name?: string },
): Promise<User | undefined> {
  const { rows } = await tx.query<User>(
    `UPDATE users SET email = coalesce($2, email), first_name = coalesce($3, first_name),
            last_name = coalesce($4, last_name)
      WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [
      userId,
      patch.email ?? null,
      patch.first_name?.trim() ?? null,
      patch.last_name?.trim() ?? null,
    ],
  );
  return rows[0];
}

export async function setPassword(tx: Tx, userId: string, hash: string): Promise<void> {
  await tx.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
    userId,
    hash,
  ]);
}

export async function deleteMe(tx: Tx, userId: string): Promise<void> {
  // Every tenant table cascades from users (directly or through applications/documents).
  await tx.query('DELETE FROM users WHERE id = $1', [userId]);
}

/**
 * The tables a user's export holds, in an order that a restore could insert them, each with the
 * columns left out (internal bookkeeping; never the sealed API key) and its row order.
 */
const EXPORT_TABLES = {
  user_resumes: { omit: ['search'], order: 'created_at, id' },
  applications: { omit: ['search'], order: 'created_at, id' },
  application_events: { omit: [], order: 'created_at, id' },
  documents: { omit: ['search'], order: 'created_at, id' },
  document_versions: { omit: ['search'], order: 'created_at, id' },
  generation_jobs: { omit: ['lease_owner', 'lease_expires_at'], order: 'created_at, id' },
  generation_job_events: { omit: [], order: 'job_id, seq' },
  user_ai_settings: { omit: ['api_key_encrypted'], order: 'created_at' },
  job_posting_snapshots: { omit: [], order: 'fetched_at, id' },
} as const satisfies Record<string, { omit: readonly string[]; order: string }>;

export type UserExportTables = Record<keyof typeof EXPORT_TABLES, Record<string, unknown>[]>;

export async function exportAll(tx: Tx, userId: string): Promise<UserExportTables> {
  const out = {} as UserExportTables;
  for (const [table, spec] of Object.entries(EXPORT_TABLES)) {
    const omit = ['user_id', ...spec.omit].map((c) => ` - '${c}'`).join('');
    const { rows } = await tx.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t)${omit} AS row FROM ${table} t WHERE user_id = $1 ORDER BY ${spec.order}`,
      [userId],
    );
    out[table as keyof UserExportTables] = rows.map((r) => r.row);
  }
  return out;
}
