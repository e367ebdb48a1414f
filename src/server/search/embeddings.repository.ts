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

export async function upsertEmbedding(
  tx: Tx,
  storage: EmbeddingStorage,
  e: { userId: string; documentId: string; model: string; vector: readonly number[] },
): Promise<void> {
  const v = normalise(e.vector);
  await tx.query(
    `INSERT INTO document_embeddings (user_id, document_id, model, dimensions, embedding)
     VALUES ($1, $2, $3, $4, $5::${cast(storage)})
     ON CONFLICT (document_id, model)
     DO UPDATE SET embedding = EXCLUDED.embedding, dimensions = EXCLUDED.dimensions, created_at = now()`,
    [e.userId, e.documentId, e.model, v.length, literal(storage, v)],
  );
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
      WHERE e.user_id = $1 AND e.model = $2 AND e.dimensions = $4
      ORDER BY distance, e.document_id
      LIMIT $5`,
    [q.userId, q.model, literal(storage, v), v.length, q.limit],
  );
  return rows;
}
