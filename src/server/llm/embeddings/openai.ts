import OpenAI from 'openai';
import { boundedFetch } from '../../net/guarded-fetch.ts';
import {
  cancelledError,
  connectionError,
  fromHttpStatus,
  malformedError,
  timeoutError,
  type ErrorContext,
} from '../errors.ts';
import { LlmError } from '../provider.ts';
import type { Embedder } from './embedder.ts';

export interface OpenAiEmbedderOptions {
  kind: 'openai' | 'openai-compatible';
  model: string;
  /** Including /v1; default https://api.openai.com/v1. */
  baseUrl: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
}

/**
 * OpenAI's embeddings endpoint, and every server that speaks it (Ollama, LM Studio, vLLM,
 * llama.cpp). OpenAI is asked for base64 (the SDK's default, decoded by it), other servers for
 * floats. Like the drafting providers: no SDK retries, every option passed explicitly.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly batchSize = 64;
  // About 2,000 tokens: within the context of small local embedding models.
  readonly maxChars = 8_000;
  /**
   * A batch's answer: 64 vectors of 3,072 floats are about 4 MB as JSON; a server sending more
   * is cut off rather than buffered (issue 9: every answer of a model server is bounded).
   */
  static readonly MAX_ANSWER_BYTES = 32 * 1024 * 1024;
  private readonly client: OpenAI;
  private readonly ctx: ErrorContext;

  constructor(private readonly opts: OpenAiEmbedderOptions) {
    const endpoint = opts.baseUrl ?? 'https://api.openai.com/v1';
    this.model = `${opts.kind}:${opts.model}`;
    this.client = new OpenAI({
      apiKey: opts.apiKey ?? 'not-needed',
      baseURL: endpoint,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: opts.timeoutMs,
      fetch: boundedFetch(globalThis.fetch, {
        maxBytes: OpenAiEmbedder.MAX_ANSWER_BYTES,
        // Not a stream: the whole answer is one run without a blank line.
        maxEventBytes: OpenAiEmbedder.MAX_ANSWER_BYTES,
        timeoutMs: opts.timeoutMs,
      }),
    });
    this.ctx = {
      label: opts.kind === 'openai' ? 'OpenAI' : `the server at ${endpoint}`,
      model: opts.model,
      endpoint,
    };
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<(number[] | null)[]> {
    if (texts.length === 0) return [];
    let res: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      res = await this.client.embeddings.create(
        {
          model: this.opts.model,
          input: texts,
          // Floats from other servers: one that ignores base64 would send floats the SDK then
          // misreads as base64. OpenAI itself gets the SDK's default (base64, a third the size).
          ...(this.opts.kind === 'openai-compatible' ? { encoding_format: 'float' as const } : {}),
        },
        { signal },
      );
    } catch (err) {
      throw this.toLlmError(err);
    }
    const out: (number[] | null)[] = texts.map(() => null);
    for (const d of res.data) {
      if (d.index >= 0 && d.index < texts.length && Array.isArray(d.embedding)) {
        out[d.index] = d.embedding;
      }
    }
    const dims = new Set(out.map((v) => v?.length));
    if (out.some((v) => !v || v.length === 0 || !v.every(Number.isFinite)) || dims.size !== 1) {
      throw malformedError(this.ctx, 'the embeddings response is missing or has uneven vectors');
    }
    return out;
  }

  private toLlmError(err: unknown): LlmError {
    if (err instanceof LlmError) return err;
    if (err instanceof OpenAI.APIUserAbortError) return cancelledError();
    if (err instanceof OpenAI.APIConnectionTimeoutError) return timeoutError(this.ctx);
    if (err instanceof OpenAI.APIConnectionError) return connectionError(this.ctx, err.cause);
    if (err instanceof OpenAI.APIError && err.status !== undefined)
      return fromHttpStatus(this.ctx, err);
    const message = (err as Error | undefined)?.message ?? String(err);
    return malformedError(this.ctx, message.slice(0, 200));
  }
}
