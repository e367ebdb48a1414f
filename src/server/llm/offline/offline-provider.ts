import type { ComputePool, TaskInput, TaskName, TaskOutput } from '../../compute/compute-pool.ts';
import { AppError } from '../../http/errors.ts';
import { POSTING_BRIEF_SCHEMA } from '../brief.ts';
import {
  LlmError,
  type JsonRequest,
  type LlmProvider,
  type StreamEvent,
  type TextRequest,
  type Usage,
} from '../provider.ts';
import { sleep } from '../retry.ts';
import type { DraftAnalysis } from './drafts.ts';
import type { DraftInputs } from './inputs.ts';

/** Roughly 4 characters a token: the offline engine reports usage the way providers do. */
const tokens = (text: string) => Math.ceil(text.length / 4);

/** Cuts text into chunks of a few words, as a model streams it. */
export function* chunks(text: string, size = 48): Generator<string> {
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + size);
    const space = text.lastIndexOf(' ', end);
    if (end < text.length && space > i) end = space + 1;
    yield text.slice(i, end);
    i = end;
  }
}

const WHAT: Record<TextRequest['task'] | 'brief' | 'analysis', string> = {
  analysis: 'Reading the posting against the resume',
  brief: 'Reading the posting',
  research_report: 'Drafting the research report',
  optimized_resume: 'Drafting the tailored resume',
  cover_letter: 'Drafting the cover letter',
};

/**
 * The built-in engine: no network, no key, deterministic. It drafts from the structured
 * inputs (never from the prompt text) and streams its output in chunks like a real provider.
 * Its work runs in the compute pool. The pipeline makes one provider per job, so the posting and
 * the resume are read once per job (the first call's analysis is kept for the brief, the report,
 * the resume and the letter), not once per document.
 */
export class OfflineProvider implements LlmProvider {
  readonly kind = 'offline' as const;
  readonly model = 'jobforge-offline-1';
  readonly endpoint = undefined;
  private analysis: { of: DraftInputs; result: Promise<DraftAnalysis> } | undefined;

  constructor(private readonly opts: { chunkDelayMs: number; compute: ComputePool }) {}

  async *streamText(req: TextRequest): AsyncIterable<StreamEvent> {
    const analysis = await this.analyse(req.inputs, req.signal);
    const text = await this.compute(
      'draftDocument',
      { task: req.task, inputs: req.inputs, analysis },
      WHAT[req.task],
      req.signal,
    );
    for (const piece of chunks(text)) {
      if (req.signal?.aborted) throw new LlmError('cancelled', 'The request was cancelled.');
      if (this.opts.chunkDelayMs > 0) await sleep(this.opts.chunkDelayMs, req.signal);
      yield { type: 'delta', text: piece };
    }
    yield {
      type: 'usage',
      usage: { inputTokens: tokens(req.system + req.prompt), outputTokens: tokens(text) },
    };
  }

  /**
   * Answers the schemas the engine has an analysis for (the posting brief), validated like a
   * model's answer; any other request needs a model and is refused in words saying so.
   */
  async generateJson<T>(req: JsonRequest<T>): Promise<{ value: T; usage: Usage }> {
    if (req.schemaName !== POSTING_BRIEF_SCHEMA || !req.inputs) {
      throw new LlmError(
        'bad_request',
        `The offline engine can answer only the posting brief, not "${req.schemaName}"; configure a model provider for that.`,
      );
    }
    const inputs = req.inputs;
    const analysis = await this.analyse(inputs, req.signal);
    const answer = await this.compute('postingBrief', { inputs, analysis }, WHAT.brief, req.signal);
    const checked = req.schema.safeParse(answer);
    if (!checked.success) {
      // A bug in the engine, not bad input: say so rather than hand on unchecked data.
      throw new LlmError('malformed', `The offline engine's posting brief failed its own schema.`);
    }
    return {
      value: checked.data,
      usage: {
        inputTokens: tokens(req.system + req.prompt),
        outputTokens: tokens(JSON.stringify(answer)),
      },
    };
  }

  /** The job's analysis: computed by the first call, shared by the others with the same texts. */
  private analyse(inputs: DraftInputs, signal: AbortSignal | undefined): Promise<DraftAnalysis> {
    const kept = this.analysis;
    if (kept && sameTexts(kept.of, inputs)) return kept.result;
    const result = this.compute(
      'analyzeDraft',
      { job: inputs.job, resume: inputs.resume },
      WHAT.analysis,
      signal,
    );
    // A failed analysis is not kept: the next call (a retry) computes it again.
    this.analysis = { of: inputs, result };
    result.catch(() => {
      if (this.analysis?.result === result) this.analysis = undefined;
    });
    return result;
  }

  /**
   * A task in the pool, its failures in the provider's terms: the pipeline fails a job with an
   * LlmError's message. Too complex is final (not retryable); a busy pool is worth a retry.
   */
  private async compute<K extends TaskName>(
    name: K,
    input: TaskInput<K>,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<TaskOutput<K>> {
    try {
      return await this.opts.compute.run(name, input, what, signal);
    } catch (err) {
      if (signal?.aborted) throw new LlmError('cancelled', 'The request was cancelled.');
      if (err instanceof AppError)
        throw new LlmError(err.status === 503 ? 'server' : 'bad_request', err.message);
      throw err;
    }
  }
}

const sameTexts = (a: DraftInputs, b: DraftInputs) =>
  a.resume === b.resume &&
  a.job.description === b.job.description &&
  a.job.company === b.job.company &&
  a.job.role === b.job.role &&
  a.job.location === b.job.location;
