import type { Tx } from '../db/database.ts';

export type EmbeddingStorage = 'pgvector' | 'real[]';

/** How this database stores vectors: chosen by migration 0003 from what the server offers. */
export async function embeddingStorage(tx: Tx): Promise<EmbeddingStorage> {
  const { rows } = await tx.query<{ type: string }>(
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'document_embeddings'::regclass AND attname = 'embedding'`,
  );
  return rows[0]?.type === 'vector' ? 'pgvector' : 'real[]';
}

/** Unit length, so that cosine distance is 1 - dot product in both storages. */
export function normalise(v: readonly number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (!Number.isFinite(norm) || norm === 0)
    throw new Error('an embedding must be a non-zero finite vector');
  return v.map((x) => x / norm);
}

const literal = (storage: EmbeddingStorage, v: number[]) =>
  storage === 'pgvector' ? `[${v.join(',')}]` : v;
const cast = (storage: EmbeddingStorage) => (storage === 'pgvector' ? 'vector' : 'real[]');

/** What a vector is of: a document, or an application (its role, company and description). */
export type EmbeddingSubject = { documentId: string } | { applicationId: string };

export async function upsertEmbedding(
  tx: Tx,
  storage: EmbeddingStorage,
  e: EmbeddingSubject & {
    userId: string;
    model: string;
    vector: readonly number[];
    /** md5 of the embedded text (see staleSubjects); null when unknown. */
    contentHash?: string | null;
  },
): Promise<void> {
  const v = normalise(e.vector);
  const [column, id] =
    'documentId' in e ? ['document_id', e.documentId] : ['application_id', e.applicationId];
  await tx.query(
    `INSERT INTO document_embeddings (user_id, ${column}, model, dimensions, embedding, content_hash)
     VALUES ($1, $2, $3, $4, $5::${cast(storage)}, $6)
     ON CONFLICT (${column}, model)
     DO UPDATE SET embedding = EXCLUDED.embedding, dimensions = EXCLUDED.dimensions,
                   content_hash = EXCLUDED.content_hash, created_at = now()`,
    [e.userId, id, e.model, v.length, literal(storage, v), e.contentHash ?? null],
  );
}

/** The text embedded for an application: what the posting is, in the posting's words. */
const APPLICATION_TEXT = `a.role_title || E'\n' || a.company_name || E'\n' || a.job_description`;

export interface StaleSubject {
  kind: 'application' | 'document';
  id: string;
  text: string;
  hash: string;
}

/**
 * The user's applications and documents with no vector of this model for their current text
 * (none yet, or the text changed since: content hash). At most `limit`, in a stable order.
 */
export async function staleSubjects(
  tx: Tx,
  q: { userId: string; model: string; kinds: ('application' | 'document')[]; limit: number },
): Promise<StaleSubject[]> {
  const parts: string[] = [];
  if (q.kinds.includes('application')) {
    parts.push(`SELECT 'application' AS kind, a.id, t.text, md5(t.text) AS hash
        FROM applications a CROSS JOIN LATERAL (SELECT ${APPLICATION_TEXT} AS text) t
        LEFT JOIN document_embeddings e ON e.application_id = a.id AND e.model = $2
       WHERE a.user_id = $1 AND e.content_hash IS DISTINCT FROM md5(t.text)`);
  }
  if (q.kinds.includes('document')) {
    parts.push(`SELECT 'document', d.id, d.content, md5(d.content)
        FROM documents d LEFT JOIN document_embeddings e ON e.document_id = d.id AND e.model = $2
       WHERE d.user_id = $1 AND e.content_hash IS DISTINCT FROM md5(d.content)`);
  }
  if (parts.length === 0) return [];
  const { rows } = await tx.query<StaleSubject>(
    `${parts.join(' UNION ALL ')} ORDER BY 1, 2 LIMIT $3`,
    [q.userId, q.model, q.limit],
  );
  return rows;
}

/**
 * Exact nearest applications to one of them (itself excluded), by its stored vector of this
 * model: only vectors of the same model and dimension are compared.
 */
export async function similarApplications(
  tx: Tx,
  storage: EmbeddingStorage,
  q: { userId: string; model: string; applicationId: string; limit: number },
): Promise<{ application_id: string; distance: number }[]> {
  const distance =
    storage === 'pgvector'
      ? 'e.embedding <=> s.embedding'
      : 'jobforge_cosine_distance(e.embedding, s.embedding)';
  const { rows } = await tx.query<{ application_id: string; distance: number }>(
    `SELECT e.application_id, (${distance})::float8 AS distance
       FROM document_embeddings s
       JOIN document_embeddings e
         ON e.user_id = s.user_id AND e.model = s.model AND e.dimensions = s.dimensions
        AND e.application_id IS NOT NULL AND e.application_id <> s.application_id
      WHERE s.user_id = $1 AND s.model = $2 AND s.application_id = $3
      ORDER BY distance, e.application_id
      LIMIT $4`,
    [q.userId, q.model, q.applicationId, q.limit],
  );
  return rows;
}

/**
 * Exact nearest neighbours among one user's vectors of one model (seed-review #6: a shared
 * approximate index would filter after the scan and lose most of a user's rows; per-user
 * corpora are small enough for exact search, recall 1.0).
 */
export async function nearestDocuments(
  tx: Tx,
  storage: EmbeddingStorage,
  q: { userId: string; model: string; vector: readonly number[]; limit: number },
): Promise<{ document_id: string; distance: number }[]> {
  const v = normalise(q.vector);
  const distance =
    storage === 'pgvector'
      ? 'e.embedding <=> $3::vector'
      : 'jobforge_cosine_distance(e.embedding, $3::real[])';
  const { rows } = await tx.query<{ document_id: string; distance: number }>(
    `SELECT e.document_id, (${distance})::float8 AS distance
       FROM document_embeddings e
      WHERE e.user_id = $1 AND e.model = $2 AND e.dimensions = $4 AND e.document_id IS NOT NULL
      ORDER BY distance, e.document_id
      LIMIT $5`,
    [q.userId, q.model, literal(storage, v), v.length, q.limit],
  );
  return rows;
}

export interface SemanticRow {
  kind: 'application' | 'document';
  id: string;
  application_id: string | null;
  document_type: string | null;
  title: string;
  body: string;
  distance: number;
}

/**
 * Exact nearest applications and documents of one user to a query vector, with what a search
 * hit shows (title, the start of the text). Only vectors of the query's model and dimension.
 */
export async function semanticSearch(
  tx: Tx,
  storage: EmbeddingStorage,
  q: {
    userId: string;
    model: string;
    vector: readonly number[];
    kinds: ('application' | 'document')[];
    limit: number;
  },
): Promise<SemanticRow[]> {
  const v = normalise(q.vector);
  const distance =
    storage === 'pgvector'
      ? 'e.embedding <=> $3::vector'
      : 'jobforge_cosine_distance(e.embedding, $3::real[])';
  const parts: string[] = [];
  if (q.kinds.includes('application')) {
    parts.push(`SELECT 'application' AS kind, a.id, NULL::uuid AS application_id,
        NULL::text AS document_type, a.company_name || ' — ' || a.role_title AS title,
        left(a.job_description, 400) AS body, (${distance})::float8 AS distance
      FROM document_embeddings e JOIN applications a ON a.id = e.application_id AND a.user_id = e.user_id
      WHERE e.user_id = $1 AND e.model = $2 AND e.dimensions = $4`);
  }
  if (q.kinds.includes('document')) {
    parts.push(`SELECT 'document', d.id, d.application_id, d.document_type::text,
        (CASE d.document_type WHEN 'research_report' THEN 'Research report'
          WHEN 'optimized_resume' THEN 'Tailored resume' ELSE 'Cover letter' END)
          || ' — ' || a.company_name || ', ' || a.role_title,
        left(d.content, 400), (${distance})::float8
      FROM document_embeddings e
      JOIN documents d ON d.id = e.document_id AND d.user_id = e.user_id
      JOIN applications a ON a.id = d.application_id AND a.user_id = d.user_id
      WHERE e.user_id = $1 AND e.model = $2 AND e.dimensions = $4`);
  }
  if (parts.length === 0) return [];
  const { rows } = await tx.query<SemanticRow>(
    `${parts.join(' UNION ALL ')} ORDER BY distance, id LIMIT $5`,
    [q.userId, q.model, literal(storage, v), v.length, q.limit],
  );
  return rows;
}
