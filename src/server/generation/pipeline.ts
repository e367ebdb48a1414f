import type { FastifyBaseLogger } from 'fastify';
import type { DocumentType } from '../../contracts/documents.ts';
import type { DocumentProgress } from '../../contracts/generation.ts';
import type { AiResolver, EffectiveSettings } from '../ai-settings/ai-resolver.ts';
// Other features' rows, read through their own repositories (as documents reads applications).
import { find as findApplication } from '../applications/applications.repository.ts';
import type { Config, Price } from '../config.ts';
import type { Database, Tx } from '../db/database.ts';
import { find as findDocument } from '../documents/documents.repository.ts';
import { askPostingBrief, renderBriefSection, type BriefOutcome } from '../llm/brief.ts';
import { LlmError, type LlmProvider } from '../llm/index.ts';
import type { DraftInputs } from '../llm/offline/inputs.ts';
import { renderPrompt } from '../llm/prompts.ts';
import { find as findResume } from '../resumes/resumes.repository.ts';
import { sanitiseOutput } from './sanitise-output.ts';
import { budgetExceeded, budgetState, overBudget } from './budget.ts';
import { estimateCostUsd, priceFor } from './cost.ts';
import { JobEventLog, LeaseLost } from './event-log.ts';
import { JobFailure, saveDraft } from './save-draft.ts';
import {
  findJob,
  setJobProvider,
  updateJob,
  type JobPatch,
  type JobRow,
  type NewJobEvent,
} from './generation.repository.ts';

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
type StopReason =
  | { kind: 'cancelled' } // the user asked
  | { kind: 'stopping' } // this process stops: back to the queue
  | { kind: 'deadline' } // JOBFORGE_JOB_TIMEOUT_SECONDS
  | { kind: 'lease_lost' } // another worker has the job now (or it was deleted)
  | { kind: 'failed'; message: string } // e.g. the daily budget ran out mid-stream
  | { kind: 'sibling' }; // another document failed: its error decides

type Outcome =
  | { status: 'succeeded' }
  | { status: 'failed'; error: string }
  | { status: 'cancelled' }
  | { status: 'requeued' }
  /** Nothing more to write: another worker owns the job, or it is gone with its application. */
  | { status: 'gone' };

/**
 * A model that ignores max_tokens is stopped at twice the limit (estimated at 4 characters a
 * token, which overcounts long words, so an honest model never reaches it) and the job fails:
 * a document that long was not what the prompt asked for, so keeping it would save junk.
 */
const OUTPUT_ALLOWANCE = 2;
const estimateTokens = (chars: number) => Math.ceil(chars / 4);
/** Streamed tokens are written to the job (and the budget checked) every this many. */
const USAGE_STEP_TOKENS = 64;

/**
 * Runs one claimed job as a fixed sequence: load what it needs (claim), ask for the posting
 * brief beside the research report, draft the documents (the report first, then the tailored
 * resume and cover letter in parallel, each given the report and the brief), settle. A
 * document is saved (a new 'generated' version) only when complete, in the same transaction
 * that marks it saved in the job, so a job re-run after a crash skips what was saved and never
 * saves a document twice. `JobRun` is the one writer of the job's row; `decide` the one place
 * that turns how drafting ended into the job's outcome.
 */
export async function runJob(ctx: PipelineContext, claim: Claim): Promise<void> {
  const run = new JobRun(ctx, claim);
  try {
    let outcome: Outcome;
    try {
      const job = await run.load();
      if (job) await run.documents(job);
      outcome = job ? { status: 'succeeded' } : { status: 'gone' };
    } catch (err) {
      outcome = decide(err, run.stopReason, ctx);
    }
    await run.settle(outcome);
  } catch (err) {
    if (!(err instanceof LeaseLost))
      ctx.log.error({ err, job: claim.job_id }, 'could not record the end of a job');
  } finally {
    run.close();
  }
}

/** The one place that decides a job's outcome from how its drafting ended. */
function decide(err: unknown, reason: StopReason | undefined, ctx: PipelineContext): Outcome {
  if (err instanceof LeaseLost || reason?.kind === 'lease_lost') return { status: 'gone' };
  // Not the job's fault: back to the queue, this attempt not counted.
  if (reason?.kind === 'stopping' || ctx.stopping.aborted) return { status: 'requeued' };
  if (reason?.kind === 'deadline') return { status: 'failed', error: deadlineMessage(ctx.config) };
  if (reason?.kind === 'failed') return { status: 'failed', error: reason.message };
  if (reason?.kind === 'cancelled') return { status: 'cancelled' };
  if (err instanceof LlmError && err.kind === 'cancelled') return { status: 'cancelled' };
  if (err instanceof LlmError || err instanceof JobFailure)
    return { status: 'failed', error: err.message };
  ctx.log.error({ err }, 'generation job failed');
  return {
    status: 'failed',
    error: 'Drafting failed because of an error on our side. Please try again.',
  };
}

function deadlineMessage(config: Config): string {
  const s = config.worker.jobTimeoutMs / 1000;
  const limit = s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
  return (
    `Drafting took longer than this server allows for one job (${limit}), so it was stopped. ` +
    'The model server may be overloaded or stuck. Documents already saved are kept; try again, ' +
    'or choose a faster model in your AI settings.'
  );
}

interface Loaded {
  job: JobRow;
  inputs: DraftInputs;
  /** The saved report of an earlier attempt. */
  report: string | undefined;
  settings: EffectiveSettings;
  provider: LlmProvider;
  price: Price | undefined;
}

/**
 * One run of one job: its event log, its abort signal (with the reason it was stopped), its
 * heartbeat and deadline, and the job's progress and streamed token counts as this run knows
 * them. Every change to the job's row goes through `write`.
 */
class JobRun {
  readonly log: JobEventLog;
  private readonly abort = new AbortController();
  private readonly progress: Partial<Record<DocumentType, DocumentProgress>> = {};
  /** Output tokens estimated from streamed text, per document, and how many are in the row. */
  private readonly streamed = new Map<DocumentType, number>();
  private readonly recorded = new Map<DocumentType, number>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;
  private retry: NodeJS.Timeout | undefined;
  private readonly onStop = () => this.stop({ kind: 'stopping' });
  private price: Price | undefined;
  private usageWrite: Promise<void> | undefined;

  constructor(
    private readonly ctx: PipelineContext,
    private readonly claim: Claim,
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
   * The one writer of the job's row: `patch` (fenced by the lease) and the events announcing it
   * commit together. `before` runs first in the same transaction, for the writes that must take
   * their locks ahead of the job's (see saveDocument for the lock order).
   */
  private write(
    patch: JobPatch | (() => JobPatch) | undefined,
    events: NewJobEvent[],
    opts: {
      before?: (tx: Tx) => Promise<NewJobEvent[]>;
      after?: (tx: Tx) => Promise<NewJobEvent[]>;
    } = {},
    onCommit?: () => void,
  ): Promise<void> {
    const { user_id: userId, job_id: jobId } = this.claim;
    return this.retrying(() =>
      this.log.transaction(async (tx) => {
        const first = opts.before ? await opts.before(tx) : [];
        const change = typeof patch === 'function' ? patch() : patch;
        if (change) await updateJob(tx, userId, jobId, change, this.ctx.workerId);
        const then = opts.after ? await opts.after(tx) : [];
        return [...first, ...events, ...then];
      }, onCommit),
    );
  }

  private setProgress(type: DocumentType, state: DocumentProgress): Promise<void> {
    this.progress[type] = state;
    return this.write({ progress: { [type]: state } }, [
      { kind: 'progress', data: { document_type: type, state } },
    ]);
  }

  /** Tokens streamed since the last write, priced; the budget checked in the same transaction. */
  private recordStreamedUsage(): Promise<void> {
    let taken = new Map<DocumentType, number>();
    return this.log.transaction(
      async (tx) => {
        taken = new Map(this.streamed);
        let output = 0;
        for (const [t, n] of taken) output += n - (this.recorded.get(t) ?? 0);
        if (output <= 0) return [];
        const usage = { input: 0, output };
        await updateJob(
          tx,
          this.claim.user_id,
          this.claim.job_id,
          { addUsage: { ...usage, costUsd: estimateCostUsd(usage, this.price) } },
          this.ctx.workerId,
        );
        if (this.ctx.config.llm.dailyTokenBudget !== undefined) {
          const state = await budgetState(tx, this.claim.user_id, this.ctx.config);
          if (overBudget(state))
            this.stop({ kind: 'failed', message: budgetExceeded(state).message });
        }
        return [];
      },
      () => {
        for (const [t, n] of taken) this.recorded.set(t, n);
      },
    );
  }

  /** Counts streamed text; every USAGE_STEP_TOKENS a write records it (one at a time). */
  private countStreamed(type: DocumentType, chars: number): void {
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

  /** Claim: reads the job and what it drafts from; undefined when there is nothing to run. */
  async load(): Promise<Loaded | undefined> {
    const { db, config, ai } = this.ctx;
    const { user_id: userId, job_id: jobId, attempt } = this.claim;
    const loaded = await db.withUser(userId, async (tx) => {
      const job = await findJob(tx, userId, jobId);
      if (!job) return undefined;
      const app = await findApplication(tx, userId, job.application_id);
      const resume = job.resume_id ? await findResume(tx, userId, job.resume_id) : undefined;
      const report =
        job.progress.research_report === 'saved'
          ? await findDocument(tx, userId, job.application_id, 'research_report')
          : undefined;
      // Read when the job runs, not when it was queued: settings changed since then apply.
      const settings = await ai.forUser(tx, userId);
      // A fresh job's budget is checked as it starts; one that has run (a restart after a
      // crash, or one requeued by a stopping server) goes on, stopped by the streaming check.
      const fresh = attempt === 1 && job.input_tokens + job.output_tokens === 0;
      const budget = fresh ? await budgetState(tx, userId, config) : undefined;
      return { job, app, resume, report: report?.content, settings, budget };
    });
    if (!loaded) return undefined;
    const { job, app, resume, settings, budget } = loaded;
    Object.assign(this.progress, job.progress);
    if (job.cancel_requested) this.stop({ kind: 'cancelled' });
    this.checkpoint();
    if (attempt > job.max_attempts) {
      throw new JobFailure(
        `Drafting was interrupted ${job.max_attempts} times (the server stopped while working on it). Start it again.`,
      );
    }
    if (!app) {
      this.stop({ kind: 'lease_lost' }); // deleted with its jobs
      return undefined;
    }
    if (!resume)
      throw new JobFailure(
        'The resume chosen for this job has been deleted. Start it again with another resume.',
      );
    if (budget && overBudget(budget)) throw new JobFailure(budgetExceeded(budget).message);
    await this.write(undefined, [
      {
        kind: 'progress',
        data: { status: 'running', attempt, restarted: attempt > 1 },
      },
    ]);
    if (settings.keyUnreadable) {
      throw new JobFailure(
        'Your stored API key can no longer be read (the server’s secret changed). Enter it again in your AI settings.',
      );
    }
    if (settings.kind !== job.provider || settings.model !== job.model) {
      await this.write(
        undefined,
        [{ kind: 'progress', data: { provider: settings.kind, model: settings.model } }],
        {
          before: async (tx) => {
            await setJobProvider(
              tx,
              userId,
              jobId,
              settings.kind,
              settings.model,
              this.ctx.workerId,
            );
            return [];
          },
        },
      );
    }
    this.price = priceFor(config, settings);
    const provider = ai.provider(settings, {
      onRetry: (err, n, delayMs) =>
        void this.log
          .emit('progress', {
            retrying: true,
            attempt: n,
            delay_ms: Math.round(delayMs),
            reason: err.message,
          })
          .catch(() => {}),
    });
    const inputs: DraftInputs = {
      job: {
        company: app.company_name,
        role: app.role_title,
        location: app.location,
        description: app.job_description,
      },
      resume: resume.content,
    };
    return { job, inputs, report: loaded.report, settings, provider, price: this.price };
  }

  /** Brief and documents: the report (with the brief beside it), then the others in parallel. */
  async documents(l: Loaded): Promise<void> {
    const { job, provider, inputs } = l;
    const wanted = new Set(job.document_types);
    // Asked for while the report streams, so it costs no wall time unless it is the slower one.
    // A job restarted after its report was saved goes on without it: the saved report holds
    // the section drawn from it.
    const briefing: Promise<BriefOutcome> | undefined =
      l.report === undefined
        ? askPostingBrief(provider, inputs, {
            maxOutputTokens: this.ctx.config.llm.maxOutputTokens,
            signal: this.signal,
          })
        : undefined;
    briefing?.catch(() => {}); // awaited below; never unhandled when the report fails first
    let brief: BriefOutcome['brief'];
    let report = l.report;
    if (report === undefined) {
      const drafted = await this.draft(l, 'research_report', {}, async (text) => {
        const outcome = await briefing!;
        text.usage.input += outcome.usage.inputTokens;
        text.usage.output += outcome.usage.outputTokens;
        brief = outcome.brief;
        if (outcome.warning) await this.log.emit('progress', { warning: outcome.warning });
        // The offline engine's report already lists the same requirements, keywords and
        // questions from the same reading of the posting: appending them would repeat it.
        const section =
          outcome.brief && provider.kind !== 'offline' ? renderBriefSection(outcome.brief) : '';
        if (section) {
          // Streamed too, so what a client showed is what is saved.
          const joined = sanitiseOutput(`${text.content.endsWith('\n') ? '\n' : '\n\n'}${section}`);
          text.content += joined;
          this.log.delta('research_report', joined);
        }
      });
      report = drafted;
    }
    const rest = (['optimized_resume', 'cover_letter'] as const).filter(
      (t) => wanted.has(t) && job.progress[t] !== 'saved',
    );
    await Promise.all(
      rest.map((t) =>
        this.draft(l, t, { report, brief }).catch((err: unknown) => {
          this.stop({ kind: 'sibling' }); // one failure stops its sibling: the job fails as a whole
          this.progress[t] = 'failed';
          throw err;
        }),
      ),
    );
  }

  /** Streams one document and saves it when it is wanted; returns its text. */
  private async draft(
    l: Loaded,
    type: DocumentType,
    extra: Pick<DraftInputs, 'report' | 'brief'>,
    complete?: (text: Drafted) => Promise<void>,
  ): Promise<string> {
    const save = l.job.document_types.includes(type);
    if (save) await this.setProgress(type, 'running');
    const text = await this.stream(l.provider, type, { ...l.inputs, ...extra });
    this.checkpoint();
    // Untrusted output: no image beacons, script links or raw HTML reach a saved document.
    text.content = sanitiseOutput(text.content);
    if (!text.content.trim())
      throw new JobFailure(`Model ${l.provider.model} returned an empty ${label(type)}.`);
    if (complete) await complete(text);
    await this.saveDocument(l, type, text, save);
    return text.content;
  }

  private async stream(
    provider: LlmProvider,
    type: DocumentType,
    inputs: DraftInputs,
  ): Promise<Drafted> {
    const { maxOutputTokens } = this.ctx.config.llm;
    const { system, prompt } = renderPrompt(type, inputs);
    let content = '';
    const usage = { input: 0, output: 0 };
    for await (const e of provider.streamText({
      task: type,
      system,
      prompt,
      inputs,
      maxOutputTokens,
      signal: this.signal,
    })) {
      if (e.type === 'delta') {
        content += e.text;
        this.log.delta(type, e.text);
        this.countStreamed(type, content.length);
        if (estimateTokens(content.length) > maxOutputTokens * OUTPUT_ALLOWANCE) {
          throw new JobFailure(
            `Model ${provider.model}${provider.endpoint ? ` on ${provider.endpoint}` : ''} kept writing the ${label(type)} ` +
              `past the output limit of ${maxOutputTokens.toLocaleString('en-US')} tokens (JOBFORGE_LLM_MAX_OUTPUT_TOKENS), so Job Forge stopped it. ` +
              'The server may be ignoring the limit; check its settings, or choose another model.',
          );
        }
      } else {
        usage.input += e.usage.inputTokens;
        usage.output += e.usage.outputTokens;
      }
      this.checkpoint();
    }
    return { content, usage };
  }

  /**
   * Records a finished document: its tokens (the provider's count, replacing what streaming
   * estimated) and, when wanted, its new version, in one transaction (saveDraft, which also
   * holds the lock order).
   */
  private async saveDocument(l: Loaded, type: DocumentType, text: Drafted, save: boolean) {
    const { user_id: userId, job_id: jobId } = this.claim;
    await this.write(
      undefined,
      [],
      {
        before: (tx) => {
          // Read in turn: an earlier write of streamed tokens has committed (or failed) by now.
          const usage = {
            input: text.usage.input,
            output: text.usage.output - (this.recorded.get(type) ?? 0),
          };
          return saveDraft(tx, {
            userId,
            jobId,
            worker: this.ctx.workerId,
            applicationId: l.job.application_id,
            resumeId: l.job.resume_id,
            type,
            content: text.content,
            usage: { ...usage, costUsd: estimateCostUsd(usage, l.price) },
            save,
          });
        },
      },
      () => {
        this.recorded.set(type, text.usage.output);
        this.streamed.set(type, text.usage.output);
        if (save) this.progress[type] = 'saved';
      },
    );
  }

  /**
   * Settle: the last word on the job, its status and the lease given up in one transaction
   * after its final events; streamed tokens not yet in the row are counted in it.
   */
  async settle(outcome: Outcome): Promise<void> {
    if (outcome.status === 'gone') return;
    await this.usageWrite;
    const { user_id: userId, job_id: jobId } = this.claim;
    let output = 0;
    for (const [t, n] of this.streamed) output += n - (this.recorded.get(t) ?? 0);
    const usage = { input: 0, output: Math.max(0, output) };
    const addUsage =
      output > 0 ? { ...usage, costUsd: estimateCostUsd(usage, this.price) } : undefined;
    if (outcome.status === 'requeued') {
      const requeued = Object.fromEntries(
        Object.entries(this.progress).map(([t, s]) => [t, s === 'running' ? 'queued' : s]),
      );
      await this.retrying(() =>
        this.log.emitThen(
          [
            {
              kind: 'progress',
              data: {
                status: 'queued',
                reason: 'The server is restarting; the job will continue.',
              },
            },
          ],
          async (tx) => {
            await updateJob(tx, userId, jobId, {
              status: 'queued',
              progress: requeued,
              attemptsDelta: -1,
              releaseLease: true,
              addUsage,
            });
          },
        ),
      );
      return;
    }
    const unfinished = outcome.status === 'cancelled' ? 'cancelled' : 'failed';
    const final = Object.fromEntries(
      Object.entries(this.progress).map(([t, s]) => [
        t,
        s === 'running' || s === 'queued' ? unfinished : s,
      ]),
    );
    const error = outcome.status === 'failed' ? outcome.error : null;
    // The events go first, fenced by the lease; the status change and the release follow in the
    // same transaction, under the row lock that the fenced write took.
    await this.retrying(() =>
      this.log.emitThen(
        [
          ...(error ? [{ kind: 'error' as const, data: { message: error } }] : []),
          { kind: 'done', data: { status: outcome.status } },
        ],
        async (tx) => {
          await updateJob(tx, userId, jobId, {
            status: outcome.status,
            error,
            finished: true,
            progress: final,
            releaseLease: true,
            addUsage,
          });
        },
      ),
    );
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

/** Errors of the connection rather than of the statement: the same write may well succeed. */
function transient(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string')
    return /Connection terminated|connection (is )?closed/i.test(String((err as Error)?.message));
  return (
    code.startsWith('08') || // connection exceptions
    ['57P01', '57P02', '57P03', '40001', '40P01'].includes(code) || // shutdown, serialization
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)
  );
}

interface Drafted {
  content: string;
  usage: { input: number; output: number };
}

const label = (t: DocumentType) =>
  t.replace('_', ' ').replace('optimized resume', 'tailored resume');
