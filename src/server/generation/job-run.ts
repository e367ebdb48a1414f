import type { DocumentType } from '../../contracts/documents.ts';
import type { DocumentProgress } from '../../contracts/generation.ts';
import type { AiResolver, EffectiveSettings } from '../ai-settings/ai-resolver.ts';
import type { Config, Price } from '../config.ts';
import { databaseFailureReason, type Database, type Tx } from '../db/database.ts';
import type { FastifyBaseLogger } from 'fastify';
import { LlmError, type LlmProvider } from '../llm/index.ts';
import type { DraftInputs } from '../llm/offline/inputs.ts';
import { budgetExceeded, budgetState, overBudget } from './budget.ts';
import { estimateCostUsd } from './cost.ts';
import { JobEventLog, LeaseLost } from './event-log.ts';
import {
  updateJob,
  type JobPatch,
  type JobRow,
  type NewJobEvent,
} from './generation.repository.ts';
import { saveDraft } from './save-draft.ts';

export interface PipelineContext {
  db: Database;
  config: Config;
  log: FastifyBaseLogger;
  /** Chooses the provider: the user's AI settings, else the server's. */
  ai: AiResolver;
  workerId: string;
  /** Aborted when this process stops: the job goes back to the queue. */
  stopping: AbortSignal;
}

export interface Claim {
  job_id: string;
  user_id: string;
  attempt: number;
}

/** Why a running job was stopped from outside its drafting; decides its outcome (see decide). */
export type StopReason =
  | { kind: 'cancelled' } // the user asked
  | { kind: 'stopping' } // this process stops: back to the queue
  | { kind: 'deadline' } // JOBFORGE_JOB_TIMEOUT_SECONDS
  | { kind: 'lease_lost' } // another worker has the job now (or it was deleted)
  | { kind: 'failed'; message: string } // e.g. the daily budget ran out mid-stream
  | { kind: 'sibling' }; // another document failed: its error decides

export type Outcome =
  | { status: 'succeeded' }
  | { status: 'failed'; error: string }
  | { status: 'cancelled' }
  | { status: 'requeued' }
  /** Nothing more to write: another worker owns the job, or it is gone with its application. */
  | { status: 'gone' };

export const estimateTokens = (chars: number) => Math.ceil(chars / 4);
/** Streamed tokens are written to the job (and the budget checked) every this many. */
const USAGE_STEP_TOKENS = 64;

export interface Loaded {
  job: JobRow;
  inputs: DraftInputs;
  /** The saved report of an earlier attempt. */
  report: string | undefined;
  settings: EffectiveSettings;
  provider: LlmProvider;
  price: Price | undefined;
}

export interface Drafted {
  content: string;
  usage: { input: number; output: number };
}

/**
 * One run of one job: its event log, its abort signal (with the reason it was stopped), its
 * heartbeat and deadline, and the job's progress and streamed token counts as this run knows
 * them. Every change to the job's row goes through `write`.
 */
export class JobRun {
  readonly log: JobEventLog;
  private readonly abort = new AbortController();
  readonly progress: Partial<Record<DocumentType, DocumentProgress>> = {};
  /** Output tokens estimated from streamed text, per document, and how many are in the row. */
  private readonly streamed = new Map<DocumentType, number>();
  private readonly recorded = new Map<DocumentType, number>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;
  private retry: NodeJS.Timeout | undefined;
  private readonly onStop = () => this.stop({ kind: 'stopping' });
  /** The model's price, once known: streamed tokens are priced with it. */
  price: Price | undefined;
  private usageWrite: Promise<void> | undefined;

  constructor(
    readonly ctx: PipelineContext,
    readonly claim: Claim,
  ) {
    const { config, db, workerId } = ctx;
    const lease = { worker: workerId, leaseSeconds: config.worker.leaseSeconds };
    this.log = new JobEventLog(db, claim.user_id, claim.job_id, lease, {
      flushMs: 200,
      flushChars: 400,
    });
    ctx.stopping.addEventListener('abort', this.onStop, { once: true });
    if (ctx.stopping.aborted) this.onStop();
    this.heartbeat = setInterval(() => void this.beat(), (config.worker.leaseSeconds * 1000) / 3);
    this.deadline = setTimeout(() => this.stop({ kind: 'deadline' }), config.worker.jobTimeoutMs);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get stopReason(): StopReason | undefined {
    return this.abort.signal.aborted ? (this.abort.signal.reason as StopReason) : undefined;
  }

  stop(reason: StopReason): void {
    if (!this.abort.signal.aborted) this.abort.abort(reason);
  }

  /** Throws if the job was stopped: whatever is in flight ends there. */
  checkpoint(): void {
    if (this.log.cancelRequested) this.stop({ kind: 'cancelled' });
    if (this.abort.signal.aborted) throw new LlmError('cancelled', 'Cancelled.');
  }

  /**
   * Renews the lease (flushing pending text and streamed usage) and notices a cancel. A failed
   * write is logged and tried again at the next beat, well before the lease runs out: a
   * database hiccup must not end the job, let alone record it as cancelled by the user.
   */
  private async beat(): Promise<void> {
    try {
      await this.recordStreamedUsage();
      if (this.log.cancelRequested) this.stop({ kind: 'cancelled' });
    } catch (err) {
      if (err instanceof LeaseLost) return this.stop({ kind: 'lease_lost' });
      this.ctx.log.warn(
        { err, job: this.claim.job_id, failures: this.log.failures },
        'job heartbeat could not be written; retrying',
      );
      // Sooner than the next beat, so that a short outage never costs the lease.
      this.retry ??= setTimeout(
        () => {
          this.retry = undefined;
          void this.beat();
        },
        (this.ctx.config.worker.leaseSeconds * 1000) / 6,
      );
    }
  }

  /**
   * The one writer of the job's row, and of the events announcing each change, which commit with
   * it. `patch` is computed when the write's turn comes (earlier writes have committed or failed
   * by then). `with` writes other rows in the same transaction and the job's through `row`, for
   * the writes that must take their locks in order (see saveDraft). A `final` write puts its
   * events first, fenced by the lease, then the patch that gives the lease up, under the row lock
   * that the fenced write took. Writes are retried on connection errors unless `retry` is false.
   */
  private write(c: {
    patch?: JobPatch | (() => JobPatch | undefined);
    events?: NewJobEvent[];
    with?: (tx: Tx, row: (patch: JobPatch) => Promise<void>) => Promise<NewJobEvent[]>;
    then?: (tx: Tx) => Promise<void>;
    final?: boolean;
    retry?: boolean;
    onCommit?: () => void;
  }): Promise<void> {
    const { user_id: userId, job_id: jobId } = this.claim;
    const worker = c.final ? undefined : this.ctx.workerId;
    const row = (tx: Tx) => async (patch: JobPatch) => {
      await updateJob(tx, userId, jobId, patch, worker);
    };
    const patchNow = () => (typeof c.patch === 'function' ? c.patch() : c.patch);
    const once = (): Promise<void> =>
      c.final
        ? this.log.emitThen(c.events ?? [], async (tx) => {
            const patch = patchNow();
            if (patch) await row(tx)(patch);
          })
        : this.log.transaction(async (tx) => {
            const more = c.with ? await c.with(tx, row(tx)) : [];
            const patch = patchNow();
            if (patch) await row(tx)(patch);
            if (c.then) await c.then(tx);
            return [...(c.events ?? []), ...more];
          }, c.onCommit);
    return c.retry === false ? once() : this.retrying(once);
  }

  setProgress(type: DocumentType, state: DocumentProgress): Promise<void> {
    this.progress[type] = state;
    return this.write({
      patch: { progress: { [type]: state } },
      events: [{ kind: 'progress', data: { document_type: type, state } }],
    });
  }

  /** The job as loaded: its progress so far; a cancel asked for before it started stops it. */
  began(job: JobRow): void {
    Object.assign(this.progress, job.progress);
    if (job.cancel_requested) this.stop({ kind: 'cancelled' });
    this.checkpoint();
  }

  running(): Promise<void> {
    const { attempt } = this.claim;
    return this.write({
      events: [{ kind: 'progress', data: { status: 'running', attempt, restarted: attempt > 1 } }],
    });
  }

  /** Records the provider and model the job drafts with (the user's settings as it starts). */
  useProvider(provider: string, model: string): Promise<void> {
    return this.write({
      patch: { provider, model },
      events: [{ kind: 'progress', data: { provider, model } }],
    });
  }

  /** A document whose drafting failed (its sibling is stopped by the caller). */
  failedDocument(type: DocumentType): void {
    this.progress[type] = 'failed';
  }

  /**
   * Tokens streamed since the last write, priced, with the budget checked in the same
   * transaction; also the heartbeat (every write renews the lease), so not retried here: the
   * heartbeat has its own retry.
   */
  private recordStreamedUsage(): Promise<void> {
    let taken = new Map<DocumentType, number>();
    return this.write({
      retry: false,
      patch: () => {
        taken = new Map(this.streamed);
        let output = 0;
        for (const [t, n] of taken) output += n - (this.recorded.get(t) ?? 0);
        if (output <= 0) return undefined;
        const usage = { input: 0, output };
        return { addUsage: { ...usage, costUsd: estimateCostUsd(usage, this.price) } };
      },
      then: async (tx) => {
        if (this.ctx.config.llm.dailyTokenBudget === undefined) return;
        const state = await budgetState(tx, this.claim.user_id, this.ctx.config);
        if (overBudget(state))
          this.stop({ kind: 'failed', message: budgetExceeded(state).message });
      },
      onCommit: () => {
        for (const [t, n] of taken) this.recorded.set(t, n);
      },
    });
  }

  /** Counts streamed text; every USAGE_STEP_TOKENS a write records it (one at a time). */
  countStreamed(type: DocumentType, chars: number): void {
    const tokens = estimateTokens(chars);
    this.streamed.set(type, tokens);
    let unrecorded = 0;
    for (const [t, n] of this.streamed) unrecorded += n - (this.recorded.get(t) ?? 0);
    if (unrecorded < USAGE_STEP_TOKENS || this.usageWrite) return;
    this.usageWrite = this.recordStreamedUsage()
      .catch((err: unknown) => {
        if (err instanceof LeaseLost) this.stop({ kind: 'lease_lost' });
        // Otherwise the heartbeat writes it again (and logs why it could not).
      })
      .finally(() => (this.usageWrite = undefined));
  }

  /**
   * Records a finished document: its tokens (the provider's count, replacing what streaming
   * estimated) and, when wanted, its new version, in one transaction (saveDraft, which also
   * holds the lock order).
   */
  async saveDocument(l: Loaded, type: DocumentType, text: Drafted, save: boolean) {
    await this.write({
      with: (tx, row) => {
        // Read in turn: an earlier write of streamed tokens has committed (or failed) by now.
        const usage = {
          input: text.usage.input,
          output: text.usage.output - (this.recorded.get(type) ?? 0),
        };
        return saveDraft(
          tx,
          {
            userId: this.claim.user_id,
            applicationId: l.job.application_id,
            resumeId: l.job.resume_id,
            type,
            content: text.content,
            usage: { ...usage, costUsd: estimateCostUsd(usage, l.price) },
            save,
            compute: this.ctx.ai.compute,
          },
          row,
        );
      },
      onCommit: () => {
        this.recorded.set(type, text.usage.output);
        this.streamed.set(type, text.usage.output);
        if (save) this.progress[type] = 'saved';
      },
    });
  }

  /**
   * Settle: the last word on the job, its status and the lease given up in one transaction
   * after its final events; streamed tokens not yet in the row are counted in it.
   */
  async settle(outcome: Outcome): Promise<void> {
    if (outcome.status === 'gone') return;
    await this.usageWrite;
    let output = 0;
    for (const [t, n] of this.streamed) output += n - (this.recorded.get(t) ?? 0);
    const usage = { input: 0, output: Math.max(0, output) };
    const addUsage =
      output > 0 ? { ...usage, costUsd: estimateCostUsd(usage, this.price) } : undefined;
    if (outcome.status === 'requeued') {
      const requeued = Object.fromEntries(
        Object.entries(this.progress).map(([t, s]) => [t, s === 'running' ? 'queued' : s]),
      );
      const reason = 'The server is restarting; the job will continue.';
      return this.write({
        final: true,
        events: [{ kind: 'progress', data: { status: 'queued', reason } }],
        patch: {
          status: 'queued',
          progress: requeued,
          attemptsDelta: -1,
          releaseLease: true,
          addUsage,
        },
      });
    }
    const unfinished = outcome.status === 'cancelled' ? 'cancelled' : 'failed';
    const final = Object.fromEntries(
      Object.entries(this.progress).map(([t, s]) => [
        t,
        s === 'running' || s === 'queued' ? unfinished : s,
      ]),
    );
    const error = outcome.status === 'failed' ? outcome.error : null;
    return this.write({
      final: true,
      events: [
        ...(error ? [{ kind: 'error' as const, data: { message: error } }] : []),
        { kind: 'done', data: { status: outcome.status } },
      ],
      patch: {
        status: outcome.status,
        error,
        finished: true,
        progress: final,
        releaseLease: true,
        addUsage,
      },
    });
  }

  /**
   * Tries a write of the job again while the database is briefly away (a dropped connection, a
   * restart, a failover): the heartbeat keeps the lease meanwhile, and a document finished during
   * the outage is still saved. A write that may have committed before its connection dropped is
   * harmless to repeat: the same content saves no second version.
   */
  private async retrying(write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!transient(err) || attempt >= WRITE_ATTEMPTS) throw err;
        this.ctx.log.warn({ err, job: this.claim.job_id, attempt }, 'job write failed; retrying');
        await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  close(): void {
    this.stop({ kind: 'sibling' }); // whatever is still in flight (a brief after its report failed) stops
    clearInterval(this.heartbeat);
    clearTimeout(this.deadline);
    clearTimeout(this.retry);
    this.ctx.stopping.removeEventListener('abort', this.onStop);
    this.log.close();
  }
}

/** Six attempts over about three seconds: longer than a restart, shorter than a lease. */
const WRITE_ATTEMPTS = 6;

/**
 * Errors of the database rather than of the statement (db/database.ts decides, for every
 * caller): the same write may well succeed in a moment. Deadlocks and serialization failures
 * have already been re-run by the transaction helper; a connection lost or refused has not.
 */
function transient(err: unknown): boolean {
  const reason = databaseFailureReason(err);
  return reason === 'unavailable' || reason === 'busy';
}
