import type { Document, DocumentType, DocumentVersion } from '../../contracts/documents.ts';
import type { Tx } from '../db/database.ts';

// Never `search` (a generated tsvector) nor user_id.
const COLUMNS = 'id, application_id, document_type, content, version, created_at, updated_at';

/** The application's documents in the enum's order: research report, resume, cover letter. */
export async function list(tx: Tx, userId: string, applicationId: string): Promise<Document[]> {
  const { rows } = await tx.query<Document>(
    `SELECT ${COLUMNS} FROM documents WHERE application_id = $1 AND user_id = $2
      ORDER BY document_type`,
    [applicationId, userId],
  );
  return rows;
}

export async function find(
  tx: Tx,
  userId: string,
  applicationId: string,
  type: DocumentType,
): Promise<Document | undefined> {
  const { rows } = await tx.query<Document>(
    `SELECT ${COLUMNS} FROM documents
      WHERE application_id = $1 AND user_id = $2 AND document_type = $3`,
    [applicationId, userId, type],
  );
  return rows[0];
}

export async function insert(
  tx: Tx,
  userId: string,
  applicationId: string,
  type: DocumentType,
  content: string,
): Promise<Document> {
  const { rows } = await tx.query<Document>(
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
): Promise<Document> {
  const { rows } = await tx.query<Document>(
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
): Promise<void> {
  await tx.query(
    `INSERT INTO document_versions (user_id, document_id, version, content, source)
     VALUES ($1, $2, $3, $4, $5)`,
    [userId, doc.id, doc.version, doc.content, source],
  );
}

/** Newest first. */
export async function listVersions(
  tx: Tx,
  userId: string,
  documentId: string,
): Promise<DocumentVersion[]> {
  const { rows } = await tx.query<DocumentVersion>(
    `SELECT version, content, source, created_at FROM document_versions
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
