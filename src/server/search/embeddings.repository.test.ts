import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import { embeddingStorage, nearestDocuments, upsertEmbedding } from './embeddings.repository.ts';

const DESCRIPTION = 'A role description long enough to satisfy the fifty character minimum.';

for (const kind of dbKinds()) {
  describe(`document embeddings (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    test('when the server has pgvector it is used, otherwise real[]; exact search ranks by cosine on both', async () => {
      const storage = await s.server.db.asOwner(embeddingStorage);
      assert.equal(storage, kind === 'pglite' ? 'pgvector' : 'real[]');
      const a = await s.register();
      const b = await s.register();
      const docs = async (userId: string, n: number) =>
        s.server.db.withUser(userId, async (tx) => {
          const app = await tx.query<{ id: string }>(
            `INSERT INTO applications (user_id, name, company_name, role_title, job_description)
             VALUES ($1, 'n', 'Co', 'Role', $2) RETURNING id`,
            [userId, DESCRIPTION],
          );
          const ids: string[] = [];
          const types = ['research_report', 'optimized_resume', 'cover_letter'];
          for (let i = 0; i < n; i++) {
            const d = await tx.query<{ id: string }>(
              `INSERT INTO documents (user_id, application_id, document_type, content)
               VALUES ($1, $2, $3, 'text') RETURNING id`,
              [userId, app.rows[0]!.id, types[i]],
            );
            ids.push(d.rows[0]!.id);
          }
          return ids;
        });
      const [a1, a2, a3] = (await docs(a.id, 3)) as [string, string, string];
      const [b1] = (await docs(b.id, 1)) as [string];
      await s.server.db.withUser(a.id, async (tx) => {
        await upsertEmbedding(tx, storage, {
          userId: a.id,
          documentId: a1,
          model: 'm',
          vector: [1, 0, 0],
        });
        await upsertEmbedding(tx, storage, {
          userId: a.id,
          documentId: a2,
          model: 'm',
          vector: [1, 1, 0],
        });
        await upsertEmbedding(tx, storage, {
          userId: a.id,
          documentId: a3,
          model: 'm',
          vector: [0, 0, 5],
        });
        // Re-embedding replaces rather than duplicates.
        await upsertEmbedding(tx, storage, {
          userId: a.id,
          documentId: a3,
          model: 'm',
          vector: [0, 1, 1],
        });
      });
      await s.server.db.withUser(b.id, (tx) =>
        upsertEmbedding(tx, storage, {
          userId: b.id,
          documentId: b1,
          model: 'm',
          vector: [1, 0, 0],
        }),
      );
      const hits = await s.server.db.withUser(a.id, (tx) =>
        nearestDocuments(tx, storage, { userId: a.id, model: 'm', vector: [2, 0, 0], limit: 10 }),
      );
      assert.deepEqual(
        hits.map((h) => h.document_id),
        [a1, a2, a3],
        'only the user’s own, by distance',
      );
      assert.ok(Math.abs(hits[0]!.distance) < 1e-6);
      assert.ok(Math.abs(hits[1]!.distance - (1 - Math.SQRT1_2)) < 1e-6);
      assert.ok(Math.abs(hits[2]!.distance - 1) < 1e-6, 'orthogonal vectors are at distance 1');
    });
  });
}
