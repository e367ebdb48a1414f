import { hashPassword } from '../src/server/auth/passwords.ts';
import { applicationName } from '../src/server/applications/application-name.ts';
import type { Database, Tx } from '../src/server/db/database.ts';
import {
  COMPANIES,
  DOCUMENT_TYPES,
  LOCATIONS,
  ROLES,
  between,
  documentContent,
  jobDescription,
  pick,
  prng,
  resume,
  termsFor,
  uuid,
  type Rng,
} from './text.ts';

export interface SeedOptions {
  users: number;
  applicationsPerUser: number;
  /** Applications per user that get all three documents. */
  documentedPerUser: number;
}

export interface BenchUser {
  id: string;
  sessionId: string;
  applicationIds: string[];
}

export interface SeedResult {
  users: BenchUser[];
  rows: { users: number; resumes: number; applications: number; documents: number };
  /** Characters of generated text (descriptions, resumes, documents). */
  textChars: number;
  seconds: number;
}

// Users per transaction: about 5 MB of text each, so neither PGlite's heap nor one statement's
// parameters grow with the data set.
const BATCH_USERS = 50;
// Dates are relative to a fixed instant, so the data set is the same on every run.
const EPOCH = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;
const STATUSES = ['draft', 'applied', 'interview', 'rejected', 'offer'] as const;
const FOCUS = ['software_development', 'data_science', 'management', 'consulting', 'other'];

/** Column arrays for one batch of users, ready for INSERT … SELECT FROM unnest(…). */
interface Batch {
  users: { id: string[]; email: string[]; first: string[]; last: string[] };
  sessions: { id: string[]; userId: string[] };
  resumes: Record<'id' | 'userId' | 'name' | 'content' | 'focus' | 'primary', string[]>;
  applications: Record<
    | 'id'
    | 'userId'
    | 'name'
    | 'company'
    | 'role'
    | 'description'
    | 'url'
    | 'location'
    | 'status'
    | 'notes'
    | 'created'
    | 'updated',
    (string | null)[]
  >;
  documents: Record<'id' | 'userId' | 'applicationId' | 'type' | 'content', string[]>;
  textChars: number;
}

const columns = <K extends string, V>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, [] as V[]])) as Record<K, V[]>;

function emptyBatch(): Batch {
  return {
    users: columns(['id', 'email', 'first', 'last']),
    sessions: columns(['id', 'userId']),
    resumes: columns(['id', 'userId', 'name', 'content', 'focus', 'primary']),
    applications: columns([
      'id',
      'userId',
      'name',
      'company',
      'role',
      'description',
      'url',
      'location',
      'status',
      'notes',
      'created',
      'updated',
    ]),
    documents: columns(['id', 'userId', 'applicationId', 'type', 'content']),
    textChars: 0,
  };
}

function addApplication(b: Batch, rng: Rng, user: BenchUser, documented: boolean): void {
  const id = uuid(rng);
  const company = pick(rng, COMPANIES);
  const role = pick(rng, ROLES);
  const created = new Date(EPOCH - between(rng, 0, 365) * DAY - between(rng, 0, DAY));
  const updated = new Date(Math.min(EPOCH, created.getTime() + between(rng, 0, 30) * DAY));
  const terms = termsFor(rng);
  const description = jobDescription(rng, company, role, terms);
  const a = b.applications;
  a.id.push(id);
  a.userId.push(user.id);
  a.name.push(applicationName(company, role, created));
  a.company.push(company);
  a.role.push(role);
  a.description.push(description);
  a.url.push(rng() < 0.7 ? `https://jobs.example.com/${id.slice(0, 8)}` : null);
  a.location.push(rng() < 0.8 ? pick(rng, LOCATIONS) : null);
  a.status.push(pick(rng, STATUSES));
  a.notes.push(rng() < 0.3 ? `Referred by a friend; follow up about ${pick(rng, ROLES)}.` : '');
  a.created.push(created.toISOString());
  a.updated.push(updated.toISOString());
  b.textChars += description.length;
  user.applicationIds.push(id);
  if (!documented) return;
  for (const type of DOCUMENT_TYPES) {
    const content = documentContent(rng, type, company, role, termsFor(rng, 0.5));
    b.documents.id.push(uuid(rng));
    b.documents.userId.push(user.id);
    b.documents.applicationId.push(id);
    b.documents.type.push(type);
    b.documents.content.push(content);
    b.textChars += content.length;
  }
}

/** One user's rows. Each user has its own PRNG stream: the data does not depend on batching. */
function addUser(b: Batch, index: number, opts: SeedOptions): BenchUser {
  const rng = prng(1_000_003 * (index + 1));
  const user: BenchUser = { id: uuid(rng), sessionId: uuid(rng), applicationIds: [] };
  b.users.id.push(user.id);
  b.users.email.push(`bench-${String(index).padStart(5, '0')}@example.com`);
  b.users.first.push(`Bench${index}`);
  b.users.last.push('User');
  b.sessions.id.push(user.sessionId);
  b.sessions.userId.push(user.id);
  for (const [n, name] of ['Main resume', 'Management resume'].entries()) {
    const content = resume(rng, `Bench${index} User`, termsFor(rng, 0.5));
    b.resumes.id.push(uuid(rng));
    b.resumes.userId.push(user.id);
    b.resumes.name.push(name);
    b.resumes.content.push(content);
    b.resumes.focus.push(pick(rng, FOCUS));
    b.resumes.primary.push(String(n === 0));
    b.textChars += content.length;
  }
  for (let i = 0; i < opts.applicationsPerUser; i++) {
    addApplication(b, rng, user, i < opts.documentedPerUser);
  }
  return user;
}

async function insertBatch(tx: Tx, b: Batch, passwordHash: string): Promise<void> {
  const { users: u, sessions: s, resumes: r, applications: a, documents: d } = b;
  await tx.query(
    `INSERT INTO users (id, email, password_hash, first_name, last_name)
     SELECT id, email, $5, first, last
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(id, email, first, last)`,
    [u.id, u.email, u.first, u.last, passwordHash],
  );
  await tx.query(
    `INSERT INTO sessions (id, user_id, user_agent, ip)
     SELECT id, user_id, 'jobforge-bench', '127.0.0.1'
       FROM unnest($1::uuid[], $2::uuid[]) AS t(id, user_id)`,
    [s.id, s.userId],
  );
  await tx.query(
    `INSERT INTO user_resumes (id, user_id, name, content, focus_area, is_primary)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]::focus_area[],
                          $6::boolean[])`,
    [r.id, r.userId, r.name, r.content, r.focus, r.primary],
  );
  await tx.query(
    `INSERT INTO applications (id, user_id, name, company_name, role_title, job_description,
                               job_url, location, status, notes, created_at, updated_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[]::application_status[], $10::text[],
                          $11::timestamptz[], $12::timestamptz[])`,
    [
      a.id,
      a.userId,
      a.name,
      a.company,
      a.role,
      a.description,
      a.url,
      a.location,
      a.status,
      a.notes,
      a.created,
      a.updated,
    ],
  );
  await tx.query(
    `INSERT INTO documents (id, user_id, application_id, document_type, content)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]::document_type[], $5::text[])`,
    [d.id, d.userId, d.applicationId, d.type, d.content],
  );
  await insertDerivedRows(tx, u.id);
}

/**
 * What the API would have written alongside: the timeline events of each application and
 * version 1 of each document. Derived in SQL from the rows just inserted (no second transfer).
 */
async function insertDerivedRows(tx: Tx, userIds: string[]): Promise<void> {
  await tx.query(
    `INSERT INTO application_events (user_id, application_id, kind, to_status, created_at)
     SELECT user_id, id, 'created', 'draft', created_at FROM applications
      WHERE user_id = ANY ($1::uuid[])`,
    [userIds],
  );
  await tx.query(
    `INSERT INTO application_events
       (user_id, application_id, kind, from_status, to_status, created_at)
     SELECT user_id, id, 'status_changed', 'draft', status, updated_at FROM applications
      WHERE user_id = ANY ($1::uuid[]) AND status <> 'draft'`,
    [userIds],
  );
  await tx.query(
    `INSERT INTO document_versions (user_id, document_id, version, content, source)
     SELECT user_id, id, 1, content, 'generated' FROM documents WHERE user_id = ANY ($1::uuid[])`,
    [userIds],
  );
  await tx.query(
    `INSERT INTO application_events (user_id, application_id, kind, document_type, created_at)
     SELECT user_id, application_id, 'document_saved', document_type, created_at FROM documents
      WHERE user_id = ANY ($1::uuid[])`,
    [userIds],
  );
}

/**
 * Fills a migrated, empty database as the owner, in batches of users. One argon2id hash serves
 * every user: hashing 1,000 passwords would cost seconds and measure nothing.
 */
export async function seed(db: Database, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const passwordHash = await hashPassword('bench password');
  const users: BenchUser[] = [];
  let textChars = 0;
  for (let from = 0; from < opts.users; from += BATCH_USERS) {
    const batch = emptyBatch();
    for (let i = from; i < Math.min(opts.users, from + BATCH_USERS); i++) {
      users.push(addUser(batch, i, opts));
    }
    textChars += batch.textChars;
    await db.asOwner((tx) => insertBatch(tx, batch, passwordHash));
  }
  // Fresh statistics, as autovacuum would have gathered on a database that grew over time;
  // without them the planner guesses at a table it has never seen.
  await db.asOwner((tx) => tx.exec('ANALYZE'));
  const documented = Math.min(opts.documentedPerUser, opts.applicationsPerUser);
  return {
    users,
    rows: {
      users: opts.users,
      resumes: 2 * opts.users,
      applications: opts.users * opts.applicationsPerUser,
      documents: opts.users * documented * DOCUMENT_TYPES.length,
    },
    textChars,
    seconds: (performance.now() - started) / 1000,
  };
}

export interface DatasetFacts {
  /** `SELECT version()` up to the platform, e.g. "PostgreSQL 18.6 (PGlite 0.5.14)". */
  version: string;
  sizeMb: number;
  /** Rows a search for each word matches per user, on average (applications, resumes, documents). */
  matchesPerUser: Record<string, number>;
}

export async function datasetFacts(db: Database, words: readonly string[]): Promise<DatasetFacts> {
  return db.asOwner(async (tx) => {
    const { rows } = await tx.query<{ version: string; size: number }>(
      'SELECT version() AS version, pg_database_size(current_database())::float8 AS size',
    );
    const matchesPerUser: Record<string, number> = {};
    for (const word of words) {
      const m = await tx.query<{ per_user: number }>(
        `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query)
         SELECT ((SELECT count(*) FROM applications, q WHERE search @@ query)
               + (SELECT count(*) FROM user_resumes, q WHERE search @@ query)
               + (SELECT count(*) FROM documents, q WHERE search @@ query))::float8
               / greatest(1, (SELECT count(*) FROM users)) AS per_user`,
        [word],
      );
      matchesPerUser[word] = m.rows[0]?.per_user ?? 0;
    }
    return {
      version: (rows[0]?.version ?? 'unknown').replace(/ on .*$/s, ''),
      sizeMb: (rows[0]?.size ?? 0) / 1024 ** 2,
      matchesPerUser,
    };
  });
}
