import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../src/server/db/database.ts';
import { openDatabase } from '../../src/server/db/index.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { createTestDatabase, type DbKind, type TestDatabase } from './databases.ts';

export interface MigratedDatabase {
  kind: DbKind;
  test: TestDatabase;
  db: Database;
  /** Closes the connection and removes the database. */
  drop(): Promise<void>;
}

/** A fresh database of the given kind, opened and migrated. */
export async function openMigratedDatabase(kind: DbKind): Promise<MigratedDatabase> {
  const test = await createTestDatabase(kind);
  const db = await openDatabase(test.config.database);
  await migrate(db);
  return {
    kind,
    test,
    db,
    async drop() {
      await db.close();
      await test.drop();
    },
  };
}

/** Text that trips careless encoders: accents, emoji, quotes, backslashes, control characters. */
export const AWKWARD_TEXT =
  'Zoë Łukasz 🚀 “quoted” \'single\' "double" back\\slash\ttab\nnewline ∑ 中文';

let counter = 0;

/** Inserts a user through the runtime role in its own context (as registration does). */
export async function seedUser(db: Database, label = 'user'): Promise<string> {
  counter += 1;
  const id = randomUUID();
  await db.withUser(id, (tx) =>
    tx.query(
      `INSERT INTO users (id, email, password_hash, first_name, last_name)
       VALUES ($1, $2, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', $3, $4)`,
      [id, `${label}-${counter}-${id.slice(0, 8)}@example.com`, 'Zoë', `${label} ${AWKWARD_TEXT}`],
    ),
  );
  return id;
}

/**
 * Gives the user rows in every tenant table: a session with a refresh token, two resumes, and
 * `applications` applications each with an event, a document, a version and an embedding.
 * A table added by a later migration needs a line here; the isolation and backup tests fail
 * until it has one.
 */
export async function seedTenantRows(
  db: Database,
  userId: string,
  applications = 1,
): Promise<void> {
  const embeddingType = await db.asOwner(async (tx) => {
    const { rows } = await tx.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = 'document_embeddings'::regclass AND attname = 'embedding'`,
    );
    return rows[0]!.type;
  });
  const vector = (values: number[]) =>
    embeddingType === 'real[]' ? `{${values.join(',')}}` : `[${values.join(',')}]`;

  await db.withUser(userId, async (tx) => {
    const session = await tx.query<{ id: string }>(
      `INSERT INTO sessions (user_id, user_agent, ip) VALUES ($1, $2, '203.0.113.7') RETURNING id`,
      [userId, `agent ${AWKWARD_TEXT}`],
    );
    await tx.query(
      `INSERT INTO refresh_tokens (token_hash, user_id, session_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '1 day')`,
      [randomBytes(32), userId, session.rows[0]!.id],
    );
    for (const primary of [true, false]) {
      await tx.query(
        `INSERT INTO user_resumes (user_id, name, content, focus_area, is_primary)
         VALUES ($1, $2, $3, 'data_science', $4)`,
        [userId, `Resume ${AWKWARD_TEXT}`, `${AWKWARD_TEXT} `.repeat(4), primary],
      );
    }
    for (let i = 0; i < applications; i++) {
      const app = await tx.query<{ id: string }>(
        `INSERT INTO applications (user_id, name, company_name, role_title, job_description, job_url, status, notes)
         VALUES ($1, $2, $3, 'Engineer', $4, 'https://example.com/jobs/1', 'applied', $5) RETURNING id`,
        [userId, `App ${i}`, `Acme ${AWKWARD_TEXT}`, `${AWKWARD_TEXT} `.repeat(3), AWKWARD_TEXT],
      );
      const appId = app.rows[0]!.id;
      await tx.query(
        `INSERT INTO application_events (user_id, application_id, kind, to_status)
         VALUES ($1, $2, 'created', 'draft')`,
        [userId, appId],
      );
      const doc = await tx.query<{ id: string }>(
        `INSERT INTO documents (user_id, application_id, document_type, content)
         VALUES ($1, $2, 'cover_letter', $3) RETURNING id`,
        [userId, appId, `Dear Acme, ${AWKWARD_TEXT}`],
      );
      const docId = doc.rows[0]!.id;
      await tx.query(
        `INSERT INTO document_versions (user_id, document_id, version, content, source)
         VALUES ($1, $2, 1, $3, 'generated')`,
        [userId, docId, `Dear Acme, ${AWKWARD_TEXT}`],
      );
      await tx.query(
        `INSERT INTO document_embeddings (user_id, document_id, model, dimensions, embedding)
         VALUES ($1, $2, 'fake-embed-3', 3, $3)`,
        [userId, docId, vector([0.125, -0.5, 0.3 + i])],
      );
      const job = await tx.query<{ id: string }>(
        `INSERT INTO generation_jobs (user_id, application_id, document_types, status, provider,
            model, max_attempts, event_seq, error)
         VALUES ($1, $2, '{cover_letter}', 'failed', 'offline', 'jobforge-offline-1', 3, 1, $3)
         RETURNING id`,
        [userId, appId, AWKWARD_TEXT],
      );
      await tx.query(
        `INSERT INTO generation_job_events (job_id, user_id, seq, kind, data)
         VALUES ($1, $2, 1, 'error', $3)`,
        [job.rows[0]!.id, userId, JSON.stringify({ message: AWKWARD_TEXT })],
      );
      await tx.query(
        `INSERT INTO job_posting_snapshots (user_id, application_id, url, final_url, content_type, html, extracted)
         VALUES ($1, $2, 'https://example.com/jobs/1', 'https://example.com/jobs/1', 'text/html', $3, $4)`,
        [userId, appId, `<p>${AWKWARD_TEXT}</p>`, JSON.stringify([{ role_title: AWKWARD_TEXT }])],
      );
    }
    await tx.query(
      `INSERT INTO user_ai_settings (user_id, provider, model, base_url, api_key_encrypted)
       VALUES ($1, 'openai-compatible', $2, 'https://llm.example.com/v1', 'v1.not-a-real-sealed-key')`,
      [userId, `model ${AWKWARD_TEXT}`.slice(0, 200)],
    );
    // An imported posting the user has not confirmed yet (no application).
    await tx.query(`INSERT INTO job_posting_snapshots (user_id, url, html) VALUES ($1, NULL, $2)`, [
      userId,
      `<h1>${AWKWARD_TEXT}</h1>`,
    ]);
  });
}

/**
 * The tenant tables, from the catalog: users and every table with a user_id column, with the
 * column that names the owner. A new table cannot escape the tests that loop over these.
 */
export async function tenantTables(db: Database): Promise<{ name: string; owner: string }[]> {
  return db.asOwner(async (tx) => {
    const { rows } = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                        AND a.attname = 'user_id' AND NOT a.attisdropped)
        ORDER BY c.relname`,
    );
    return [
      { name: 'users', owner: 'id' },
      ...rows.map((r) => ({ name: r.name, owner: 'user_id' })),
    ];
  });
}
