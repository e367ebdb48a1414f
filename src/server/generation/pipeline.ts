import type { DocumentType } from '../../contracts/documents.ts';
import { findApplication } from '../applications/applications.service.ts';
import type { Config } from '../config.ts';
import { findDocument } from '../documents/documents.service.ts';
import { askPostingBrief, renderBriefSection, type BriefOutcome } from '../llm/brief.ts';
import { LlmError, type LlmProvider } from '../llm/index.ts';
import { postingOf, type DraftInputs } from '../llm/offline/inputs.ts';
import { renderPrompt } from '../llm/prompts.ts';
import { findResume } from '../resumes/resumes.service.ts';
import { sanitiseOutput } from './sanitise-output.ts';
import { budgetExceeded, budgetState, overBudget } from './budget.ts';
import { priceFor } from './cost.ts';
import { LeaseLost } from './event-log.ts';
import { findJob } from './generation.repository.ts';
import {
  estimateTokens,
  JobRun,
  type Claim,
  type Drafted,
  type Loaded,
  type Outcome,
  type PipelineContext,
  type StopReason,
} from './job-run.ts';
import { JobFailure } from './save-draft.ts';

export type { Claim, PipelineContext } from './job-run.ts';

/**
 * A model that ignores max_tokens is stopped at twice the limit (estimated at 4 characters a
 * token, which overcounts long words, so an honest model never reaches it) and the job fails:
 * a document that long was not what the prompt asked for, so keeping it would save junk.
 */
const OUTPUT_ALLOWANCE = 2;

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
      const job = await load(run);
      if (job) await documents(run, job);
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

/** Claim: reads the job and what it drafts from; undefined when there is nothing to run. */
async function load(run: JobRun): Promise<Loaded | undefined> {
  const { db, config, ai } = run.ctx;
  const { user_id: userId, job_id: jobId, attempt } = run.claim;
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
  run.began(job);
  if (attempt > job.max_attempts) {
    throw new JobFailure(
      `Drafting was interrupted ${job.max_attempts} times (the server stopped while working on it). Start it again.`,
    );
  }
  if (!app) {
    run.stop({ kind: 'lease_lost' }); // deleted with its jobs
    return undefined;
  }
  if (!resume)
    throw new JobFailure(
      'The resume chosen for this job has been deleted. Start it again with another resume.',
    );
  if (budget && overBudget(budget)) throw new JobFailure(budgetExceeded(budget).message);
  await run.running();
  if (settings.keyUnreadable) {
    throw new JobFailure(
      'Your stored API key can no longer be read (the server’s secret changed). Enter it again in your AI settings.',
    );
  }
  if (settings.kind !== job.provider || settings.model !== job.model)
    await run.useProvider(settings.kind, settings.model);
  const price = priceFor(config, settings);
  run.price = price;
  const provider = ai.provider(settings, {
    onRetry: (err, n, delayMs) =>
      void run.log
        .emit('progress', {
          retrying: true,
          attempt: n,
          delay_ms: Math.round(delayMs),
          reason: err.message,
        })
        .catch(() => {}),
  });
  const inputs: DraftInputs = {
    job: postingOf(app),
    resume: resume.content,
  };
  return { job, inputs, report: loaded.report, settings, provider, price };
}

/** Brief and documents: the report (with the brief beside it), then the others in parallel. */
async function documents(run: JobRun, l: Loaded): Promise<void> {
  const { job, provider, inputs } = l;
  const wanted = new Set(job.document_types);
  // Asked for while the report streams, so it costs no wall time unless it is the slower one.
  // A job restarted after its report was saved goes on without it: the saved report holds
  // the section drawn from it.
  const briefing: Promise<BriefOutcome> | undefined =
    l.report === undefined
      ? askPostingBrief(provider, inputs, {
          maxOutputTokens: run.ctx.config.llm.maxOutputTokens,
          signal: run.signal,
        })
      : undefined;
  briefing?.catch(() => {}); // awaited below; never unhandled when the report fails first
  let brief: BriefOutcome['brief'];
  let report = l.report;
  if (report === undefined) {
    const drafted = await draft(run, l, 'research_report', {}, async (text) => {
      const outcome = await briefing!;
      text.usage.input += outcome.usage.inputTokens;
      text.usage.output += outcome.usage.outputTokens;
      brief = outcome.brief;
      if (outcome.warning) await run.log.emit('progress', { warning: outcome.warning });
      // The offline engine's report already lists the same requirements, keywords and
      // questions from the same reading of the posting: appending them would repeat it.
      const section =
        outcome.brief && provider.kind !== 'offline' ? renderBriefSection(outcome.brief) : '';
      if (section) {
        // Streamed too, so what a client showed is what is saved.
        const joined = sanitiseOutput(`${text.content.endsWith('\n') ? '\n' : '\n\n'}${section}`);
        text.content += joined;
        run.log.delta('research_report', joined);
      }
    });
    report = drafted;
  }
  const rest = (['optimized_resume', 'cover_letter'] as const).filter(
    (t) => wanted.has(t) && job.progress[t] !== 'saved',
  );
  await Promise.all(
    rest.map((t) =>
      draft(run, l, t, { report, brief }).catch((err: unknown) => {
        run.stop({ kind: 'sibling' }); // one failure stops its sibling: the job fails as a whole
        run.failedDocument(t);
        throw err;
      }),
    ),
  );
}

/** Streams one document and saves it when it is wanted; returns its text. */
async function draft(
  run: JobRun,
  l: Loaded,
  type: DocumentType,
  extra: Pick<DraftInputs, 'report' | 'brief'>,
  complete?: (text: Drafted) => Promise<void>,
): Promise<string> {
  const save = l.job.document_types.includes(type);
  if (save) await run.setProgress(type, 'running');
  const text = await stream(run, l.provider, type, { ...l.inputs, ...extra });
  run.checkpoint();
  // Untrusted output: no image beacons, script links or raw HTML reach a saved document.
  text.content = sanitiseOutput(text.content);
  if (!text.content.trim())
    throw new JobFailure(`Model ${l.provider.model} returned an empty ${label(type)}.`);
  if (complete) await complete(text);
  await run.saveDocument(l, type, text, save);
  return text.content;
}

async function stream(
  run: JobRun,
  provider: LlmProvider,
  type: DocumentType,
  inputs: DraftInputs,
): Promise<Drafted> {
  const { maxOutputTokens } = run.ctx.config.llm;
  const { system, prompt } = renderPrompt(type, inputs);
  let content = '';
  const usage = { input: 0, output: 0 };
  for await (const e of provider.streamText({
    task: type,
    system,
    prompt,
    inputs,
    maxOutputTokens,
    signal: run.signal,
  })) {
    if (e.type === 'delta') {
      content += e.text;
      run.log.delta(type, e.text);
      run.countStreamed(type, content.length);
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
    run.checkpoint();
  }
  return { content, usage };
}

const label = (t: DocumentType) =>
  t.replace('_', ' ').replace('optimized resume', 'tailored resume');
