import type { z } from 'zod';
import type { DraftInputs } from './offline/inputs.ts';

/** The providers Job Forge can draft with. */
export type ProviderKind = 'offline' | 'anthropic' | 'openai' | 'openai-compatible';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * One drafting call. Model providers read `system` and `prompt` (rendered from the versioned
 * templates in prompts/, untrusted text inside delimited data blocks); the offline engine, which
 * cannot read prose instructions, drafts from `inputs`, the same data in structured form.
 */
export interface TextRequest {
  task: DraftTask;
  system: string;
  prompt: string;
  inputs: DraftInputs;
  maxOutputTokens: number;
  signal?: AbortSignal;
}

export type DraftTask = 'research_report' | 'optimized_resume' | 'cover_letter';

export type StreamEvent = { type: 'delta'; text: string } | { type: 'usage'; usage: Usage };

export interface JsonRequest<T> {
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  /** Name of the schema, for providers that take one (OpenAI json_schema). */
  schemaName: string;
  /** The same data in structured form, for the offline engine (which answers known schemas). */
  inputs?: DraftInputs;
  maxOutputTokens: number;
  signal?: AbortSignal;
}

/** Every LLM backend behind one interface; SDKs are imported only by its implementations. */
export interface LlmProvider {
  readonly kind: ProviderKind;
  readonly model: string;
  /** Where requests go, for error messages ("model x not found on http://…"); none offline. */
  readonly endpoint: string | undefined;
  /** Text deltas as they are produced, then exactly one usage event. */
  streamText(req: TextRequest): AsyncIterable<StreamEvent>;
  /** A value matching `schema`; structured output where the provider has it, else parse+repair. */
  generateJson<T>(req: JsonRequest<T>): Promise<{ value: T; usage: Usage }>;
}

export type LlmErrorKind =
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'malformed'
  /** The answer was larger than the bounded fetch accepts (never retried: it would be again). */
  | 'too_large'
  | 'cancelled';

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set([
  'rate_limited',
  'server',
  'timeout',
  'connection',
]);

/**
 * A provider failure in words a user can act on ("the API key was rejected by Anthropic"),
 * with whether trying again could help and how long the provider asked us to wait.
 */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Retry-After as milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A model answered, but not with JSON of the wanted shape; `reason` says what was wrong. */
export class JsonAnswerError extends LlmError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super('malformed', message);
    this.name = 'JsonAnswerError';
  }
}
