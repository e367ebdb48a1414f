import type { DocumentType } from '../../contracts/documents.ts';
import type { GenerateBody, GenerationJob, JobListQuery } from '../../contracts/generation.ts';
import type { AiResolver } from '../ai-settings/ai-resolver.ts';
import { applicationExists } from '../applications/applications.service.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { Config } from '../config.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { PROMPT_VERSIONS } from '../llm/prompts.ts';
import { findPrimaryResume, findResume } from '../resumes/resumes.service.ts';
import { assertWithinBudget, budgetState } from './budget.ts';
import * as repo from './generation.repository.ts';
import { jobWakeups } from './wakeups.ts';

const ALL_TYPES: DocumentType[] = ['research_report', 'optimized_resume', 'cover_letter'];
const ORDER = new Map(ALL_TYPES.map((t, i) => [t, i]));

/** Starting, reading and cancelling generation jobs; the worker runs them (worker.ts). */
export class GenerationService {
  constructor(
    private readonly tenant: Tenant,
    private readonly config: Config,
    private readonly ai: AiResolver,
    private readonly hooks: {
      /** A job was queued: wake this instance's worker. */
      onQueued: () => void;
      /** How long a waiting event stream sleeps when no wake-up comes (decision 013). */
      streamPollMs: () => number;
    },
  ) {}

  /**
   * Queues a job; with an idempotency key the user already used, returns that job instead
   * (created: false). The insert is the enqueue: the job exists exactly when it committed.
   */
  async start(
    auth: AuthContext,
    applicationId: string,
    body: GenerateBody,
    key: string | undefined,
  ): Promise<{ job: GenerationJob; created: boolean }> {
    const types = [...(body?.document_types ?? ALL_TYPES)].sort(
      (a, b) => ORDER.get(a)! - ORDER.get(b)!,
    );
    const result = await this.tenant(auth, async (tx) => {
      if (key) {
        const existing = await repo.findByKey(tx, auth.userId, key);
        if (existing) return { row: sameRequest(existing, applicationId, types), created: false };
      }
      if (!(await applicationExists(tx, auth.userId, applicationId))) throw notFound('application');
      // After the idempotency check: repeating a request that was accepted still answers its job.
      assertWithinBudget(await budgetState(tx, auth.userId, this.config));
      // Counted and inserted under a per-user lock: parallel requests cannot all see room left.
      await repo.lockUserJobs(tx, auth.userId);
      const active = await repo.countActive(tx, auth.userId);
      if (active >= this.config.worker.maxActivePerUser) throw tooManyJobs(active);
      const resume = body?.resume_id
        ? await findResume(tx, auth.userId, body.resume_id)
        : await findPrimaryResume(tx, auth.userId);
      if (!resume) {
        throw body?.resume_id
          ? notFound('resume')
          : new AppError(
              409,
              'no_resume',
              'Add a resume (or choose one with resume_id) first: drafts are built from it.',
            );
      }
      // What the job will draft with as things stand; the worker re-reads it when it starts.
      const settings = await this.ai.forUser(tx, auth.userId);
      const row = await repo.insertJob(tx, auth.userId, {
        applicationId,
        resumeId: resume.id,
        types,
        provider: settings.kind,
        model: settings.model,
        promptVersions: PROMPT_VERSIONS,
        idempotencyKey: key,
        maxAttempts: this.config.worker.maxAttempts,
      });
      if (row) return { row, created: true };
      // A concurrent request with the same key committed first: its job is the answer.
      const winner = await repo.findByKey(tx, auth.userId, key!);
      return { row: sameRequest(winner!, applicationId, types), created: false };
    });
    if (result.created) this.hooks.onQueued();
    return { job: repo.present(result.row), created: result.created };
  }

  /** 404 for an application that is not the user's, like every other id route. */
  listForApplication(
    auth: AuthContext,
    applicationId: string,
    q: JobListQuery,
  ): Promise<{ items: GenerationJob[] }> {
    return this.tenant(auth, async (tx) => {
      if (!(await applicationExists(tx, auth.userId, applicationId))) throw notFound('application');
      const rows = await repo.listForApplication(tx, auth.userId, applicationId, {
        activeOnly: q.active === 'true',
        limit: q.limit,
      });
      return { items: rows.map(repo.present) };
    });
  }

  get(auth: AuthContext, id: string): Promise<GenerationJob> {
    return this.tenant(auth, async (tx) => {
      const row = (await repo.findJob(tx, auth.userId, id)) ?? missing();
      return repo.present(row);
    });
  }

  /**
   * A queued job is cancelled at once; a running one is flagged and its worker stops at its next
   * write (within a fraction of a second while text streams). Finished jobs stay as they are.
   */
  async cancel(auth: AuthContext, id: string): Promise<GenerationJob> {
    const job = await this.tenant(auth, async (tx) => {
      const row = (await repo.findJob(tx, auth.userId, id, { lock: true })) ?? missing();
      if (row.status === 'queued') {
        await repo.appendEvents(
          tx,
          auth.userId,
          id,
          [{ kind: 'done', data: { status: 'cancelled' } }],
          { locked: true },
        );
        const progress = Object.fromEntries(
          row.document_types.map((t) => [t, 'cancelled' as const]),
        );
        await repo.updateJob(tx, auth.userId, id, {
          status: 'cancelled',
          finished: true,
          progress,
          cancelRequested: true,
        });
      } else if (row.status === 'running') {
        await repo.updateJob(tx, auth.userId, id, { cancelRequested: true });
      }
      return repo.present((await repo.findJob(tx, auth.userId, id))!);
    });
    jobWakeups.notify(id);
    return job;
  }

  /** Events after `afterSeq`, and whether the job has ended (so a stream can close). */
  private events(auth: AuthContext, id: string, afterSeq: number) {
    return this.tenant(auth, async (tx) => {
      const row = await repo.findJob(tx, auth.userId, id);
      if (!row) return undefined;
      return {
        status: row.status,
        events: await repo.listEvents(tx, auth.userId, id, afterSeq, EVENT_PAGE),
      };
    });
  }

  /**
   * A job's events after `afterSeq`, as they are written, until the job has ended and its `done`
   * is out, or `signal` aborts (the client went away, the server closes). Woken at once by a
   * commit on any instance; the poll is the safety net. Yields 'idle' after each wait, so that
   * the caller can keep its connection alive. 404 before anything is yielded for a job that is
   * not the user's.
   */
  async follow(
    auth: AuthContext,
    id: string,
    afterSeq: number,
    signal: AbortSignal,
  ): Promise<AsyncIterable<repo.JobEvent | 'idle'>> {
    let since = jobWakeups.mark();
    const first = (await this.events(auth, id, afterSeq)) ?? missing();
    const read = (after: number) => this.events(auth, id, after);
    const pollMs = this.hooks.streamPollMs;
    return (async function* () {
      let after = afterSeq;
      let batch: Awaited<ReturnType<typeof read>> = first;
      while (batch && !signal.aborted) {
        for (const e of batch.events) {
          yield e;
          after = e.seq;
        }
        const ended = batch.status !== 'queued' && batch.status !== 'running';
        if (batch.events.some((e) => e.kind === 'done') || (ended && batch.events.length === 0))
          return;
        if (batch.events.length < EVENT_PAGE) {
          await jobWakeups.wait(id, since, pollMs());
          yield 'idle';
        }
        if (signal.aborted) return;
        since = jobWakeups.mark();
        batch = await read(after);
      }
    })();
  }
}

/** Events read per transaction while following a job. */
const EVENT_PAGE = 500;

function sameRequest(row: repo.JobRow, applicationId: string, types: DocumentType[]): repo.JobRow {
  if (row.application_id !== applicationId || row.document_types.join() !== types.join()) {
    throw conflict(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
  return row;
}

/**
 * How long to suggest waiting: a slot frees when one of the user's jobs ends, typically within
 * a minute or two; the client may of course cancel one instead.
 */
const TOO_MANY_JOBS_RETRY_SECONDS = 30;

function tooManyJobs(active: number): AppError {
  return new AppError(
    429,
    'too_many_jobs',
    `You have ${active} drafting jobs queued or running, the most this server allows per person. ` +
      'Wait for one to finish (or cancel one), then try again.',
    undefined,
    { 'retry-after': String(TOO_MANY_JOBS_RETRY_SECONDS) },
  );
}

const missing = (): never => {
  throw notFound('generation job');
};
