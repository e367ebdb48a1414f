import type { ImportedPosting, PostingSnapshot } from '../../contracts/imports.ts';
import type { Tx } from '../db/database.ts';

const COLUMNS = `id, application_id, url, final_url, content_type, html, extracted, fetched_at`;

export interface NewSnapshot {
  url: string | null;
  finalUrl: string | null;
  contentType: string | null;
  html: string;
  extracted: ImportedPosting[];
}

export async function insert(tx: Tx, userId: string, s: NewSnapshot): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO job_posting_snapshots (user_id, url, final_url, content_type, html, extracted)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id`,
    [userId, s.url, s.finalUrl, s.contentType, s.html, JSON.stringify(s.extracted)],
  );
  return rows[0]!.id;
}

/**
 * Drafts the user never confirmed are of no use after a day; each import clears the user's own,
 * so they cannot pile up.
 */
export async function deleteStaleDrafts(tx: Tx, userId: string): Promise<void> {
  await tx.query(
    `DELETE FROM job_posting_snapshots
      WHERE user_id = $1 AND application_id IS NULL AND fetched_at < now() - interval '1 day'`,
    [userId],
  );
}

/** Locks an unconfirmed draft; undefined when it is not the user's or already confirmed. */
export async function lockDraft(
  tx: Tx,
  userId: string,
  id: string,
): Promise<{ attached: boolean } | undefined> {
  const { rows } = await tx.query<{ attached: boolean }>(
    `SELECT application_id IS NOT NULL AS attached FROM job_posting_snapshots
      WHERE id = $1 AND user_id = $2 FOR UPDATE`,
    [id, userId],
  );
  return rows[0];
}

export async function attach(
  tx: Tx,
  userId: string,
  id: string,
  applicationId: string,
): Promise<void> {
  await tx.query(
    'UPDATE job_posting_snapshots SET application_id = $3 WHERE id = $1 AND user_id = $2',
    [id, userId, applicationId],
  );
}

export async function findForApplication(
  tx: Tx,
  userId: string,
  applicationId: string,
): Promise<PostingSnapshot | undefined> {
  const { rows } = await tx.query<PostingSnapshot>(
    `SELECT ${COLUMNS} FROM job_posting_snapshots WHERE application_id = $1 AND user_id = $2`,
    [applicationId, userId],
  );
  return rows[0];
}
