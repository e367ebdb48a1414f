import type {
  Application,
  ApplicationStatus,
  ApplicationSummary,
  CreateApplication,
  ListApplicationsQuery,
  UpdateApplication,
} from '../../contracts/applications.ts';
import type { Tx } from '../db/database.ts';
import { toWebsearch } from '../search/cjk.ts';

// Never `search` (a generated tsvector) nor user_id.
const COLUMNS = `id, name, company_name, role_title, job_description, job_url, location, status,
  notes, created_at, updated_at`;
// ApplicationSummary: the list without its long texts (job_description, notes).
const SUMMARY_COLUMNS = `id, name, company_name, role_title, job_url, location, status,
  created_at, updated_at`;

// Whitelisted ORDER BY expressions; the sort parameter never reaches the SQL text otherwise.
// lower(company_name) matches the applications_user_company index.
const SORT_SQL = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  company_name: 'lower(company_name)',
} as const;

const PATCHABLE = [
  'company_name',
  'role_title',
  'job_description',
  'job_url',
  'location',
  'status',
  'notes',
] as const satisfies readonly (keyof UpdateApplication)[];

/** The transaction's start time: created_at of rows inserted in it (DEFAULT now()). */
export async function transactionTime(tx: Tx): Promise<Date> {
  const { rows } = await tx.query<{ now: string }>('SELECT now() AS now');
  return new Date(rows[0]!.now);
}

/** LIKE pattern matching `s` anywhere, with its own %, _ and \ taken literally. */
export const containsPattern = (s: string) => `%${s.replace(/[\\%_]/g, '\\$&')}%`;

export async function list(
  tx: Tx,
  userId: string,
  q: ListApplicationsQuery,
): Promise<{ items: Application[] | ApplicationSummary[]; total: number }> {
  const params: unknown[] = [userId];
  const where = ['user_id = $1'];
  if (q.status) {
    params.push(q.status);
    where.push(`status = $${params.length}::application_status`);
  }
  const words = q.q?.trim();
  if (words) {
    params.push(toWebsearch(words), containsPattern(words));
    const [ts, like] = [params.length - 1, params.length];
    where.push(`(search @@ websearch_to_tsquery('english', $${ts})
                 OR company_name ILIKE $${like} OR role_title ILIKE $${like})`);
  }
  const filter = where.join(' AND ');
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const count = await tx.query<{ total: number }>(
    `SELECT count(*) AS total FROM applications WHERE ${filter}`,
    params,
  );
  params.push(q.limit, q.offset);
  const { rows } = await tx.query<Application | ApplicationSummary>(
    `SELECT ${q.fields === 'summary' ? SUMMARY_COLUMNS : COLUMNS} FROM applications WHERE ${filter}
      ORDER BY ${SORT_SQL[q.sort]} ${dir}, id ${dir}
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { items: rows as Application[] | ApplicationSummary[], total: count.rows[0]?.total ?? 0 };
}

export async function find(tx: Tx, userId: string, id: string): Promise<Application | undefined> {
  const { rows } = await tx.query<Application>(
    `SELECT ${COLUMNS} FROM applications WHERE id = $1 AND user_id = $2`,
    [id, userId],
  );
  return rows[0];
}

/** These of the user's applications (ids that are not the user's are left out), as summaries. */
export async function findSummaries(
  tx: Tx,
  userId: string,
  ids: string[],
): Promise<ApplicationSummary[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<ApplicationSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM applications WHERE user_id = $1 AND id = ANY($2::uuid[])`,
    [userId, ids],
  );
  return rows;
}

export async function applicationExists(tx: Tx, userId: string, id: string): Promise<boolean> {
  const { rows } = await tx.query<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1 AND user_id = $2) AS found',
    [id, userId],
  );
  return rows[0]?.found === true;
}

/**
 * Locks the application row until the transaction ends and returns its status (undefined: not
 * the user's). Writers of an application's status or documents take this lock first, so that
 * they run one after another and each sees what the previous one committed.
 */
export async function lockApplication(
  tx: Tx,
  userId: string,
  id: string,
): Promise<{ status: ApplicationStatus } | undefined> {
  const { rows } = await tx.query<{ status: ApplicationStatus }>(
    'SELECT status FROM applications WHERE id = $1 AND user_id = $2 FOR UPDATE',
    [id, userId],
  );
  return rows[0];
}

export async function insert(
  tx: Tx,
  userId: string,
  a: CreateApplication & { name: string },
): Promise<Application> {
  const { rows } = await tx.query<Application>(
    `INSERT INTO applications
       (user_id, name, company_name, role_title, job_description, job_url, location, status, notes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [
      userId,
      a.name,
      a.company_name,
      a.role_title,
      a.job_description,
      a.job_url ?? null,
      a.location ?? null,
      a.status,
      a.notes,
    ],
  );
  return rows[0]!;
}

/** Sets the fields present in the patch (null clears job_url or location). */
export async function update(
  tx: Tx,
  userId: string,
  id: string,
  patch: UpdateApplication,
): Promise<Application | undefined> {
  const params: unknown[] = [id, userId];
  const sets: string[] = [];
  for (const column of PATCHABLE) {
    if (patch[column] === undefined) continue;
    params.push(patch[column]);
    sets.push(`${column} = $${params.length}`);
  }
  if (sets.length === 0) return find(tx, userId, id);
  const { rows } = await tx.query<Application>(
    `UPDATE applications SET ${sets.join(', ')} WHERE id = $1 AND user_id = $2
     RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0];
}

/**
 * Deletes the application and, by cascade, everything of it. Its rows are locked first in the
 * one order every multi-row writer follows, application → job → document (decision 063; see
 * generation/save-draft.ts): the cascade alone would lock documents before jobs, and a job
 * saving a draft between the two deadlocked with it.
 */
export async function remove(tx: Tx, userId: string, id: string): Promise<boolean> {
  if (!(await lockApplication(tx, userId, id))) return false;
  await tx.query(
    'SELECT id FROM generation_jobs WHERE application_id = $1 AND user_id = $2 ORDER BY id FOR UPDATE',
    [id, userId],
  );
  await tx.query(
    'SELECT id FROM documents WHERE application_id = $1 AND user_id = $2 ORDER BY id FOR UPDATE',
    [id, userId],
  );
  const { rowCount } = await tx.query('DELETE FROM applications WHERE id = $1 AND user_id = $2', [
    id,
    userId,
  ]);
  return rowCount > 0;
}
