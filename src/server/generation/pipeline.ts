import type { FastifyBaseLogger } from 'fastify';
import type { DocumentType } from '../../contracts/documents.ts';
import type { DocumentProgress } from '../../contracts/generation.ts';
import type { AiResolver } from '../ai-settings/ai-resolver.ts';
// Other features' rows, read through their own repositories (as documents reads applications).
import { find as findApplication } from '../applications/applications.repository.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { find as findDocument } from '../documents/documents.repository.ts';
import { saveDocumentVersion } from '../documents/documents.service.ts';
import { askPostingBrief, renderBriefSection, type BriefOutcome } from '../llm/brief.ts';
import { LlmError, type LlmProvider } from '../llm/index.ts';
import type { DraftInputs } from '../llm/offline/inputs.ts';
import { renderPrompt } from '../llm/prompts.ts';
import { find as findResume } from '../resumes/resumes.repository.ts';
import { sanitiseOutput } from './sanitise-output.ts';
import { budgetExceeded, budgetState, overBudget } from './budget.ts';
import { estimateCostUsd, priceFor } from './cost.ts';
import { JobEventLog, LeaseLost } from './event-log.ts';
import { findJob, setJobProvider, updateJob, type JobRow } from './generation.repository.ts';

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

class JobFailure extends Error {}

/**
 * Runs one claimed job: the research report first (with the structured posting brief asked for
 * beside it), then the tailored resume and the cover letter in parallel, each given the report
 * and the brief. A document is saved (a new 'generated' version)
 * only when complete, in the same transaction that marks it saved in the job, so a job re-run
 * after a crash skips what was saved and never saves a document twice.
 */
export async function runJob(
  ctx: PipelineContext,
  claim: { job_id: string; user_id: string; attempt: number },
): Promise<void> {
  const { db, config, workerId } = ctx;
  const userId = claim.user_id;
  const lease = { worker: workerId, leaseSeconds: config.worker.leaseSeconds };
  const log = new JobEventLog(db, userId, claim.job_id, lease, { flushMs: 200, flushChars: 400 });
  const abort = new AbortController();
  const onStop = () => abort.abort();
  ctx.stopping.addEventListener('abort', onStop, { once: true });
  const heartbeat = setInterval(
    () =>
      void log.flush().then(
        () => log.cancelRequested && abort.abort(),
        () => abort.abort(),
      ),
    (config.worker.leaseSeconds * 1000) / 3,
  );
  const progress: Partial<Record<DocumentType, DocumentProgress>> = {};
  const setProgress = async (type: DocumentType, state: DocumentProgress) => {
    progress[type] = state;
    await log.transaction(async (tx) => {
      await updateJob(tx, userId, claim.job_id, { progress: { [type]: state } }, workerId);
      return [{ kind: 'progress', data: { document_type: type, state } }];
    });
  };
  let job: JobRow | undefined;
  try {
    const loaded = await db.withUser(userId, async (tx) => {
      const j = await findJob(tx, userId, claim.job_id);
      if (!j) return undefined;
      const app = await findApplication(tx, userId, j.application_id);
      const resume = j.resume_id ? await findResume(tx, userId, j.resume_id) : undefined;
      const report =
        j.progress.research_report === 'saved'
          ? await findDocument(tx, userId, j.application_id, 'research_report')
          : undefined;
      // Read when the job runs, not when it was queued: settings changed since then apply.
      const settings = await ctx.ai.forUser(tx, userId);
      // The budget is checked again as the job first starts; a job that has run (a restart after
      // a crash, or one requeued by a stopping server after it used tokens) finishes.
      const fresh = claim.attempt === 1 && j.input_tokens + j.output_tokens === 0;
      const budget = fresh ? await budgetState(tx, userId, config) : undefined;
      return { j, app, resume, report: report?.content, settings, budget };
    });
    if (!loaded) return;
    job = loaded.j;
    if (job.cancel_requested) throw new LlmError('cancelled', 'Cancelled.');
    if (claim.attempt > job.max_attempts) {
      throw new JobFailure(
        `Drafting was interrupted ${job.max_attempts} times (the server stopped while working on it). Start it again.`,
      );
    }
    if (!loaded.app) return; // deleted with its jobs
    if (!loaded.resume)
      throw new JobFailure(
        'The resume chosen for this job has been deleted. Start it again with another resume.',
      );
    const { budget } = loaded;
    if (budget && overBudget(budget)) throw new JobFailure(budgetExceeded(budget).message);
    await log.emit('progress', {
      status: 'running',
      attempt: claim.attempt,
      restarted: claim.attempt > 1,
    });
    const { settings } = loaded;
    if (settings.keyUnreadable) {
      throw new JobFailure(
        'Your stored API key can no longer be read (the server’s secret changed). Enter it again in your AI settings.',
      );
    }
    if (settings.kind !== job.provider || settings.model !== job.model) {
      await log.transaction(async (tx) => {
        await setJobProvider(tx, userId, claim.job_id, settings.kind, settings.model, workerId);
        return [{ kind: 'progress', data: { provider: settings.kind, model: settings.model } }];
      });
    }
    const price = priceFor(config, settings);
    const provider = ctx.ai.provider(settings, {
      onRetry: (err, attempt, delayMs) =>
        void log
          .emit('progress', {
            retrying: true,
            attempt,
            delay_ms: Math.round(delayMs),
            reason: err.message,
          })
          .catch(() => {}),
    });
    const inputs: DraftInputs = {
      job: {
        company: loaded.app.company_name,
        role: loaded.app.role_title,
        location: loaded.app.location,
        description: loaded.app.job_description,
      },
      resume: loaded.resume.content,
    };
    const wanted = new Set(job.document_types);
    const done = (t: DocumentType) => job!.progress[t] === 'saved';
    // Asked for while the report streams, so it costs no wall time unless it is the slower one.
    // A job restarted after its report was saved goes on without it: the saved report holds
    // the section drawn from it.
    const briefing: Promise<BriefOutcome> | undefined =
      loaded.report === undefined
        ? askPostingBrief(provider, inputs, {
            maxOutputTokens: config.llm.maxOutputTokens,
            signal: abort.signal,
          })
        : undefined;
    briefing?.catch(() => {}); // awaited below; never unhandled when the report fails first
    let brief: BriefOutcome['brief'];
    const draft = async (type: DocumentType, extra: Pick<DraftInputs, 'report' | 'brief'> = {}) => {
      const save = wanted.has(type);
      if (save) await setProgress(type, 'running');
      const text = await stream(provider, type, { ...inputs, ...extra }, log, abort.signal, config);
      if (abort.signal.aborted) throw new LlmError('cancelled', 'Cancelled.');
      // Untrusted output: no image beacons, script links or raw HTML reach a saved document.
      text.content = sanitiseOutput(text.content);
      if (!text.content.trim())
        throw new JobFailure(`Model ${provider.model} returned an empty ${label(type)}.`);
      if (type === 'research_report' && briefing) {
        const outcome = await briefing;
        text.usage.input += outcome.usage.inputTokens;
        text.usage.output += outcome.usage.outputTokens;
        brief = outcome.brief;
        if (outcome.warning) await log.emit('progress', { warning: outcome.warning });
        // The offline engine's report already lists the same requirements, keywords and
        // questions from the same reading of the posting: appending them would repeat it.
        const section =
          outcome.brief && provider.kind !== 'offline' ? renderBriefSection(outcome.brief) : '';
        if (section) {
          // Streamed too, so what a client showed is what is saved.
          const joined = sanitiseOutput(`${text.content.endsWith('\n') ? '\n' : '\n\n'}${section}`);
          text.content += joined;
          log.delta(type, joined);
        }
      }
      await log.transaction(async (tx) => {
        await updateJob(
          tx,
          userId,
          claim.job_id,
          { addUsage: { ...text.usage, costUsd: estimateCostUsd(text.usage, price) } },
          workerId,
        );
        if (!save) return [];
        const saved = await saveDocumentVersion(
          tx,
          userId,
          job!.application_id,
          type,
          text.content,
          'generated',
          { groundAgainst: job!.resume_id ?? undefined, compute: ctx.ai.compute },
        );
        if (!saved) throw new JobFailure('The application was deleted.');
        progress[type] = 'saved';
        await updateJob(tx, userId, claim.job_id, { progress: { [type]: 'saved' } }, workerId);
        return [
          { kind: 'progress', data: { document_type: type, state: 'saved' } },
          {
            kind: 'document',
            data: {
              document_type: type,
              document_id: saved.document.id,
              version: saved.document.version,
              changed: saved.changed,
              // Tailored resumes: claims the source resume does not support (grounding check).
              ...(saved.document.grounding
                ? { ungrounded_count: saved.document.grounding.ungrounded.length }
                : {}),
            },
          },
        ];
      });
      return text.content;
    };
    const report = loaded.report ?? (await draft('research_report'));
    const rest = (['optimized_resume', 'cover_letter'] as const).filter(
      (t) => wanted.has(t) && !done(t),
    );
    await Promise.all(
      rest.map((t) =>
        draft(t, { report, brief }).catch((err: unknown) => {
          abort.abort(); // one failure stops its sibling: the job fails as a whole
          progress[t] = 'failed';
          throw err;
        }),
      ),
    );
    await finish(log, userId, claim.job_id, 'succeeded', null, progress);
  } catch (err) {
    await settle(ctx, log, userId, claim.job_id, err, progress).catch((e: unknown) => {
      if (!(e instanceof LeaseLost))
        ctx.log.error({ err: e, job: claim.job_id }, 'could not record the end of a job');
    });
  } finally {
    abort.abort(); // whatever is still in flight (a brief after its report failed) stops
    clearInterval(heartbeat);
    ctx.stopping.removeEventListener('abort', onStop);
    log.close();
  }
}

const label = (t: DocumentType) =>
  t.replace('_', ' ').replace('optimized resume', 'tailored resume');

async function stream(
  provider: LlmProvider,
  type: DocumentType,
  inputs: DraftInputs,
  log: JobEventLog,
  signal: AbortSignal,
  config: Config,
): Promise<{ content: string; usage: { input: number; output: number } }> {
  const { system, prompt } = renderPrompt(type, inputs);
  let content = '';
  const usage = { input: 0, output: 0 };
  for await (const e of provider.streamText({
    task: type,
    system,
    prompt,
    inputs,
    maxOutputTokens: config.llm.maxOutputTokens,
    signal,
  })) {
    if (e.type === 'delta') {
      content += e.text;
      log.delta(type, e.text);
    } else {
      usage.input += e.usage.inputTokens;
      usage.output += e.usage.outputTokens;
    }
    if (log.cancelRequested || signal.aborted) throw new LlmError('cancelled', 'Cancelled.');
  }
  return { content, usage };
}

async function finish(
  log: JobEventLog,
  userId: string,
  jobId: string,
  status: 'succeeded' | 'failed' | 'cancelled',
  error: string | null,
  progress: Partial<Record<DocumentType, DocumentProgress>>,
): Promise<void> {
  const unfinished = status === 'cancelled' ? 'cancelled' : 'failed';
  const final = Object.fromEntries(
    Object.entries(progress).map(([t, s]) => [
      t,
      s === 'running' || s === 'queued' ? unfinished : s,
    ]),
  );
  // The events go first, fenced by the lease; the status change and the release follow in the
  // same transaction, under the row lock that the fenced write took.
  await log.emitThen(
    [
      ...(error ? [{ kind: 'error' as const, data: { message: error } }] : []),
      { kind: 'done', data: { status } },
    ],
    async (tx) => {
      await updateJob(tx, userId, jobId, {
        status,
        error,
        finished: true,
        progress: final,
        releaseLease: true,
      });
    },
  );
}

/** Ends a job that did not succeed: requeued (this process stops), cancelled or failed. */
async function settle(
  ctx: PipelineContext,
  log: JobEventLog,
  userId: string,
  jobId: string,
  err: unknown,
  progress: Partial<Record<DocumentType, DocumentProgress>>,
): Promise<void> {
  if (err instanceof LeaseLost) return; // another worker owns the job now
  if (ctx.stopping.aborted) {
    // Not the job's fault: back to the queue, this attempt not counted.
    const requeued = Object.fromEntries(
      Object.entries(progress).map(([t, s]) => [t, s === 'running' ? 'queued' : s]),
    );
    await log.emitThen(
      [
        {
          kind: 'progress',
          data: { status: 'queued', reason: 'The server is restarting; the job will continue.' },
        },
      ],
      async (tx) => {
        await updateJob(tx, userId, jobId, {
          status: 'queued',
          progress: requeued,
          attemptsDelta: -1,
          releaseLease: true,
        });
      },
    );
    return;
  }
  if (err instanceof LlmError && err.kind === 'cancelled') {
    return finish(log, userId, jobId, 'cancelled', null, progress);
  }
  const message =
    err instanceof LlmError || err instanceof JobFailure
      ? err.message
      : 'Drafting failed because of an error on our side. Please try again.';
  if (!(err instanceof LlmError || err instanceof JobFailure))
    ctx.log.error({ err, job: jobId }, 'generation job failed');
  return finish(log, userId, jobId, 'failed', message, progress);
}
