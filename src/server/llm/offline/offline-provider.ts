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
import { coverLetter, postingBrief, researchReport, tailoredResume } from './drafts.ts';

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

/**
 * The built-in engine: no network, no key, deterministic. It drafts from the structured
 * inputs (never from the prompt text) and streams its output in chunks like a real provider.
 */
export class OfflineProvider implements LlmProvider {
  readonly kind = 'offline' as const;
  readonly model = 'jobforge-offline-1';
  readonly endpoint = undefined;

  constructor(private readonly opts: { chunkDelayMs: number }) {}

  async *streamText(req: TextRequest): AsyncIterable<StreamEvent> {
    const text =
      req.task === 'research_report'
        ? researchReport(req.inputs)
        : req.task === 'optimized_resume'
          ? tailoredResume(req.inputs)
          : coverLetter(req.inputs);
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
  generateJson<T>(req: JsonRequest<T>): Promise<{ value: T; usage: Usage }> {
    if (req.schemaName !== POSTING_BRIEF_SCHEMA || !req.inputs) {
      return Promise.reject(
        new LlmError(
          'bad_request',
          `The offline engine can answer only the posting brief, not "${req.schemaName}"; configure a model provider for that.`,
        ),
      );
    }
    const answer = postingBrief(req.inputs);
    const checked = req.schema.safeParse(answer);
    if (!checked.success) {
      // A bug in the engine, not bad input: say so rather than hand on unchecked data.
      return Promise.reject(
        new LlmError('malformed', `The offline engine's posting brief failed its own schema.`),
      );
    }
    return Promise.resolve({
      value: checked.data,
      usage: {
        inputTokens: tokens(req.system + req.prompt),
        outputTokens: tokens(JSON.stringify(answer)),
      },
    });
  }
}
