import type {
  Document,
  DocumentGrounding,
  DocumentType,
  DocumentVersion,
} from '../../contracts/documents.ts';
import type { Tx } from '../db/database.ts';

// Never `search` (a generated tsvector) nor user_id.
const COLUMNS = 'id, application_id, document_type, content, version, created_at, updated_at';
/** The document with the grounding stored on its current version. */
const WITH_GROUNDING = `d.id, d.application_id, d.document_type, d.content, d.version, d.created_at,
  d.updated_at, v.grounding
  FROM documents d LEFT JOIN document_versions v
    ON v.document_id = d.id AND v.version = d.version AND v.user_id = d.user_id`;

/** The row as written, before its version (and so its grounding) exists. */
export type DocumentRow = Omit<Document, 'grounding' | 'flagged'>;

export const withGrounding = (row: DocumentRow, grounding: DocumentGrounding | null): Document => ({
  ...row,
  grounding,
  flagged: (grounding?.ungrounded.length ?? 0) > 0,
});

const present = (r: DocumentRow & { grounding: DocumentGrounding | null }) =>
  withGrounding(r, r.grounding);

/** The application's documents in the enum's order: research report, resume, cover letter. */
export async function list(tx: Tx, userId: string, applicationId: string): Promise<Document[]> {
  const { rows } = await tx.query<DocumentRow & { grounding: DocumentGrounding | null }>(
    `SELECT ${WITH_GROUNDING} WHERE d.application_id = $1 AND d.user_id = $2
      ORDER BY d.document_type`,
    [applicationId, userId],
  );
  return rows.map(present);
}

export async function find(
  tx: Tx,
  userId: string,
  applicationId: string,
  type: DocumentType,
): Promise<Document | undefined> {
  const { rows } = await tx.query<DocumentRow & { grounding: DocumentGrounding | null }>(
    `SELECT ${WITH_GROUNDING}
      WHERE d.application_id = $1 AND d.user_id = $2 AND d.document_type = $3`,
    [applicationId, userId, type],
  );
  return rows[0] && present(rows[0]);
}

export async function insert(
  tx: Tx,
  userId: string,
  applicationId: string,
  type: DocumentType,
  content: string,
): Promise<DocumentRow> {
  const { rows } = await tx.query<DocumentRow>(
    `INSERT INTO documents (user_id, application_id, document_type, content, version)
     VALUES ($1, $2, $3, $4, 1) RETURNING ${COLUMNS}`,
    [userId, applicationId, type, content],
  );
  return rows[0]!;
}

/** Replaces the content and bumps the version. */
export async function replaceContent(
  tx: Tx,
  userId: string,
  id: string,
  content: string,
): Promise<DocumentRow> {
  const { rows } = await tx.query<DocumentRow>(
    `UPDATE documents SET content = $3, version = version + 1
      WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
    [id, userId, content],
  );
  return rows[0]!;
}

export async function insertVersion(
  tx: Tx,
  userId: string,
  doc: Pick<Document, 'id' | 'version' | 'content'>,
  source: DocumentVersion['source'],
  grounding: DocumentGrounding | null = null,
): Promise<void> {
  await tx.query(
    `INSERT INTO document_versions (user_id, document_id, version, content, source, grounding)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [userId, doc.id, doc.version, doc.content, source, grounding && JSON.stringify(grounding)],
  );
}

/** Newest first. */
export async function listVersions(
  tx: Tx,
  userId: string,
  documentId: string,
): Promise<DocumentVersion[]> {
  const { rows } = await tx.query<DocumentVersion>(
    `SELECT version, content, source, created_at, grounding FROM document_versions
      WHERE document_id = $1 AND user_id = $2 ORDER BY version DESC`,
    [documentId, userId],
  );
  return rows;
}

/** Deletes the document and, by cascade, its versions. False when there was none. */
export async function remove(
  tx: Tx,
  userId: string,
  applicationId: string,
  type: DocumentType,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    'DELETE FROM documents WHERE application_id = $1 AND user_id = $2 AND document_type = $3',
    [applicationId, userId, type],
  );
  return rowCount > 0;
}

/** Which documents each of these applications has (ids and types only). */
export async function listTypes(
  tx: Tx,
  userId: string,
  applicationIds: string[],
): Promise<{ application_id: string; id: string; document_type: DocumentType }[]> {
  if (applicationIds.length === 0) return [];
  const { rows } = await tx.query<{
    application_id: string;
    id: string;
    document_type: DocumentType;
  }>(
    `SELECT application_id, id, document_type FROM documents
      WHERE user_id = $1 AND application_id = ANY($2::uuid[]) ORDER BY application_id, document_type`,
    [userId, applicationIds],
  );
  return rows;
}
