import type { DocumentType } from '../../contracts/documents.ts';
import type { DocumentProgress, GenerationJob, JobStatus } from '../../contracts/generation.ts';
import type { Tx } from '../db/database.ts';
import { JOB_EVENTS_CHANNEL } from './wakeups.ts';

const COLUMNS = `id, application_id, resume_id, document_types::text[] AS document_types, status,
  progress, error, provider, model, input_tokens, output_tokens,
  estimated_cost_usd::float8 AS estimated_cost_usd, attempts, max_attempts,
  cancel_requested, created_at, started_at, finished_at`;

export interface JobRow {
  id: string;
  application_id: string;
  resume_id: string | null;
  document_types: DocumentType[];
  status: JobStatus;
  progress: Partial<Record<DocumentType, DocumentProgress>>;
  error: string | null;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** null: the model's price is unknown. */
  estimated_cost_usd: number | null;
  attempts: number;
  max_attempts: number;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export type EventKind = 'progress' | 'delta' | 'document' | 'error' | 'done';
export interface NewJobEvent {
  kind: EventKind;
  data: Record<string, unknown>;
}
export interface JobEvent extends NewJobEvent {
  seq: number;
}

export const present = (r: JobRow): GenerationJob => ({
  id: r.id,
  application_id: r.application_id,
  resume_id: r.resume_id,
  document_types: r.document_types,
  status: r.status,
  progress: r.progress,
  error: r.error,
  provider: r.provider,
  model: r.model,
  usage: {
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    estimated_cost_usd: r.estimated_cost_usd,
  },
  attempts: r.attempts,
  created_at: r.created_at,
  started_at: r.started_at,
  finished_at: r.finished_at,
});

/** Inserts the job; undefined when the user already has a job with this idempotency key. */
export async function insertJob(
  tx: Tx,
  userId: string,
  j: {
    applicationId: string;
    resumeId: string;
    types: DocumentType[];
    provider: string;
    model: string;
    promptVersions: Record<string, string>;
    idempotencyKey: string | undefined;
    maxAttempts: number;
  },
): Promise<JobRow | undefined> {
  const progress = Object.fromEntries(j.types.map((t) => [t, 'queued']));
  const { rows } = await tx.query<JobRow>(
    `INSERT INTO generation_jobs (user_id, application_id, resume_id, document_types, provider,
        model, prompt_versions, progress, idempotency_key, max_attempts)
     VALUES ($1, $2, $3,
             ARRAY(SELECT jsonb_array_elements_text($4::jsonb))::document_type[], $5, $6, $7, $8, $9, $10)
     ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      userId,
      j.applicationId,
      j.resumeId,
      // As JSON: the two drivers disagree on how to send a JS array for an enum array.
      JSON.stringify(j.types),
      j.provider,
      j.model,
      JSON.stringify(j.promptVersions),
      JSON.stringify(progress),
      j.idempotencyKey ?? null,
      j.maxAttempts,
    ],
  );
  return rows[0];
}

export async function findByKey(tx: Tx, userId: string, key: string): Promise<JobRow | undefined> {
  const { rows } = await tx.query<JobRow>(
    `SELECT ${COLUMNS} FROM generation_jobs WHERE user_id = $1 AND idempotency_key = $2`,
    [userId, key],
  );
  return rows[0];
}

export async function findJob(
  tx: Tx,
  userId: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<JobRow | undefined> {
  const { rows } = await tx.query<JobRow>(
    `SELECT ${COLUMNS} FROM generation_jobs WHERE id = $1 AND user_id = $2
      ${opts.lock ? 'FOR UPDATE' : ''}`,
    [id, userId],
  );
  return rows[0];
}

/** An application's jobs, newest first; with activeOnly, only those still queued or running. */
export async function listForApplication(
  tx: Tx,
  userId: string,
  applicationId: string,
  opts: { activeOnly: boolean; limit: number },
): Promise<JobRow[]> {
  const { rows } = await tx.query<JobRow>(
    `SELECT ${COLUMNS} FROM generation_jobs
      WHERE user_id = $1 AND application_id = $2
        ${opts.activeOnly ? "AND status IN ('queued', 'running')" : ''}
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [userId, applicationId, opts.limit],
  );
  return rows;
}

/** Who may write a job's events: its lease holder (fenced), or anyone holding the row lock. */
export type Writer = { worker: string; leaseSeconds: number } | { locked: true };

/**
 * Appends events in order and, for a worker, renews its lease in the same statement; the same
 * statement also NOTIFYs the job's id, which PostgreSQL delivers to every instance's listener on
 * commit only (decision 013). Returns
 * undefined when the worker no longer holds the lease (it expired and another worker took the
 * job): the caller must stop, and its events are not written.
 */
export async function appendEvents(
  tx: Tx,
  userId: string,
  jobId: string,
  events: NewJobEvent[],
  writer: Writer,
): Promise<{ cancelRequested: boolean } | undefined> {
  const fenced = 'worker' in writer;
  const { rows } = await tx.query<{ seq: number; cancel_requested: boolean }>(
    `UPDATE generation_jobs
        SET event_seq = event_seq + $3,
            lease_expires_at = CASE WHEN $4::text IS NULL THEN lease_expires_at
                                    ELSE clock_timestamp() + make_interval(secs => $5) END
      WHERE id = $1 AND user_id = $2
        AND ($4::text IS NULL OR (lease_owner = $4 AND status = 'running'))
      RETURNING event_seq AS seq, cancel_requested,
                CASE WHEN $3 > 0 THEN pg_notify('${JOB_EVENTS_CHANNEL}', id::text) END AS notified`,
    [jobId, userId, events.length, fenced ? writer.worker : null, fenced ? writer.leaseSeconds : 0],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (events.length > 0) {
    const first = row.seq - events.length + 1;
    await tx.query(
      `INSERT INTO generation_job_events (job_id, user_id, seq, kind, data)
       SELECT $1, $2, $3 + (e.ord - 1)::int, e.kind, e.data
         FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS x(item, ord),
              LATERAL (SELECT x.item->>'kind' AS kind, x.item->'data' AS data, x.ord) e`,
      [jobId, userId, first, JSON.stringify(events)],
    );
  }
  return { cancelRequested: row.cancel_requested };
}

export async function listEvents(
  tx: Tx,
  userId: string,
  jobId: string,
  afterSeq: number,
  limit: number,
): Promise<JobEvent[]> {
  const { rows } = await tx.query<JobEvent>(
    `SELECT seq, kind, data FROM generation_job_events
      WHERE job_id = $1 AND user_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    [jobId, userId, afterSeq, limit],
  );
  return rows;
}

/** A change to a job's row (see updateJob). */
export interface JobPatch {
  status?: JobStatus;
  progress?: Partial<Record<DocumentType, DocumentProgress>>;
  error?: string | null;
  /** Tokens used, and their cost (null or absent: unknown, which makes the job's estimate unknown). */
  addUsage?: { input: number; output: number; costUsd?: number | null };
  finished?: boolean;
  releaseLease?: boolean;
  cancelRequested?: boolean;
  attemptsDelta?: number;
  /** The provider and model the job actually drafts with (its user's settings when it ran). */
  provider?: string;
  model?: string;
}

/** Changes status/progress/usage; a worker's change only lands while it holds the lease. */
export async function updateJob(
  tx: Tx,
  userId: string,
  jobId: string,
  patch: JobPatch,
  worker?: string,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE generation_jobs
        SET status = coalesce($3, status),
            progress = CASE WHEN $4::jsonb IS NULL THEN progress ELSE progress || $4::jsonb END,
            error = CASE WHEN $5 THEN $6 ELSE error END,
            input_tokens = input_tokens + $7, output_tokens = output_tokens + $8,
            estimated_cost_usd = CASE WHEN $14 THEN estimated_cost_usd + $15::numeric
                                      ELSE estimated_cost_usd END,
            finished_at = CASE WHEN $9 THEN now() ELSE finished_at END,
            lease_owner = CASE WHEN $10 THEN NULL ELSE lease_owner END,
            lease_expires_at = CASE WHEN $10 THEN NULL ELSE lease_expires_at END,
            cancel_requested = coalesce($11, cancel_requested),
            attempts = attempts + $12,
            provider = coalesce($16, provider),
            model = coalesce($17, model)
      WHERE id = $1 AND user_id = $2
        AND ($13::text IS NULL OR (lease_owner = $13 AND status = 'running'))`,
    [
      jobId,
      userId,
      patch.status ?? null,
      patch.progress ? JSON.stringify(patch.progress) : null,
      patch.error !== undefined,
      patch.error ?? null,
      patch.addUsage?.input ?? 0,
      patch.addUsage?.output ?? 0,
      patch.finished === true,
      patch.releaseLease === true,
      patch.cancelRequested ?? null,
      patch.attemptsDelta ?? 0,
      worker ?? null,
      patch.addUsage !== undefined,
      patch.addUsage?.costUsd ?? null,
      patch.provider ?? null,
      patch.model ?? null,
    ],
  );
  return rowCount > 0;
}

/**
 * The next claimable job across users, fairly: the oldest job of the user who has waited
 * longest, among those with fewer than `maxRunning` jobs running (generation_claim_job in
 * migration 0012).
 */
export async function claimJob(
  tx: Tx,
  worker: string,
  leaseSeconds: number,
  maxRunning: number,
): Promise<{ job_id: string; user_id: string; attempt: number } | undefined> {
  const { rows } = await tx.query<{ job_id: string; user_id: string; attempt: number }>(
    'SELECT job_id, user_id, attempt FROM generation_claim_job($1, $2, $3)',
    [worker, leaseSeconds, maxRunning],
  );
  return rows[0];
}

/**
 * Serialises the requests of one user that start jobs, until the transaction ends, so that
 * counting their active jobs and inserting one is race-free across connections and instances.
 */
export async function lockUserJobs(tx: Tx, userId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('generation_jobs:' || $1, 0))", [
    userId,
  ]);
}

/** The user's queued and running jobs. */
export async function countActive(tx: Tx, userId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM generation_jobs
      WHERE user_id = $1 AND status IN ('queued', 'running')`,
    [userId],
  );
  return rows[0]!.n;
}

/** A user's tokens and estimated cost over the jobs requested since `since`. */
export async function usageSince(
  tx: Tx,
  userId: string,
  since: Date,
): Promise<{ input_tokens: number; output_tokens: number; estimated_cost_usd: number | null }> {
  // The cost is unknown (null) as soon as one job that used tokens has no price.
  const { rows } = await tx.query<{
    input_tokens: number;
    output_tokens: number;
    estimated_cost_usd: number | null;
  }>(
    `SELECT coalesce(sum(input_tokens), 0)::float8 AS input_tokens,
            coalesce(sum(output_tokens), 0)::float8 AS output_tokens,
            CASE WHEN bool_or(estimated_cost_usd IS NULL AND input_tokens + output_tokens > 0)
                 THEN NULL ELSE coalesce(sum(estimated_cost_usd), 0)::float8 END AS estimated_cost_usd
       FROM generation_jobs WHERE user_id = $1 AND created_at >= $2`,
    [userId, since.toISOString()],
  );
  return rows[0]!;
}
