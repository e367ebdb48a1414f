import OpenAI from 'openai';
import { z } from 'zod';
import {
  cancelledError,
  connectionError,
  fromHttpStatus,
  limitError,
  malformedError,
  timeoutError,
  type ErrorContext,
} from './errors.ts';
import { parseModelJson } from './json.ts';
import {
  JsonAnswerError,
  LlmError,
  type JsonRequest,
  type LlmProvider,
  type StreamEvent,
  type TextRequest,
  type Usage,
} from './provider.ts';

export interface OpenAiOptions {
  kind: 'openai' | 'openai-compatible';
  /** Local servers often need none; the SDK insists on a value, so a placeholder is sent. */
  apiKey: string | undefined;
  model: string;
  /** Including /v1 (e.g. http://localhost:11434/v1); default https://api.openai.com/v1. */
  baseUrl?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Estimated when a server sends no usage (some local servers ignore stream_options). */
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/**
 * OpenAI and every server that speaks its chat completions API (Ollama, LM Studio, vLLM,
 * llama.cpp, OpenRouter): chat completions rather than the Responses API, which only OpenAI has.
 */
export class OpenAiProvider implements LlmProvider {
  readonly kind: 'openai' | 'openai-compatible';
  readonly model: string;
  readonly endpoint: string;
  private readonly client: OpenAI;
  private readonly ctx: ErrorContext;

  constructor(opts: OpenAiOptions) {
    this.kind = opts.kind;
    this.model = opts.model;
    this.endpoint = opts.baseUrl ?? 'https://api.openai.com/v1';
    this.client = new OpenAI({
      apiKey: opts.apiKey ?? 'not-needed',
      baseURL: this.endpoint,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: opts.timeoutMs,
      fetch: opts.fetch,
    });
    this.ctx = {
      label: opts.kind === 'openai' ? 'OpenAI' : `the server at ${this.endpoint}`,
      model: opts.model,
      endpoint: this.endpoint,
    };
  }

  /** OpenAI's newer models reject max_tokens; many local servers only know it. */
  private limit(n: number) {
    return this.kind === 'openai' ? { max_completion_tokens: n } : { max_tokens: n };
  }

  async *streamText(req: TextRequest): AsyncIterable<StreamEvent> {
    let usage: Usage | undefined;
    let text = '';
    let finished = false;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          ...this.limit(req.maxOutputTokens),
          messages: [
            { role: 'system', content: req.system },
            { role: 'user', content: req.prompt },
          ],
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: req.signal },
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          yield { type: 'delta', text: delta };
        }
        if (choice?.finish_reason) finished = true;
        if (chunk.usage) {
          usage = {
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
          };
        }
      }
    } catch (err) {
      throw this.toLlmError(err);
    }
    if (!finished) throw malformedError(this.ctx, 'the stream ended without a finish reason');
    yield {
      type: 'usage',
      usage: usage ?? {
        inputTokens: estimateTokens(req.system + req.prompt),
        outputTokens: estimateTokens(text),
      },
    };
  }

  async generateJson<T>(req: JsonRequest<T>): Promise<{ value: T; usage: Usage }> {
    const ask = async (structured: boolean) =>
      this.client.chat.completions.create(
        {
          model: this.model,
          ...this.limit(req.maxOutputTokens),
          messages: [
            { role: 'system', content: `${req.system}\n\nAnswer with one JSON object only.` },
            { role: 'user', content: req.prompt },
          ],
          ...(structured
            ? {
                response_format: {
                  type: 'json_schema' as const,
                  json_schema: {
                    name: req.schemaName,
                    schema: z.toJSONSchema(req.schema),
                  },
                },
              }
            : {}),
        },
        { signal: req.signal },
      );
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      try {
        completion = await ask(true);
      } catch (err) {
        // A server without json_schema support says 400: fall back to parse-and-repair.
        if (!(err instanceof OpenAI.BadRequestError)) throw err;
        completion = await ask(false);
      }
    } catch (err) {
      throw this.toLlmError(err);
    }
    const text = completion.choices[0]?.message?.content ?? '';
    const parsed = parseModelJson(text, req.schema);
    if (!parsed.ok) {
      throw new JsonAnswerError(
        `Model ${this.model} on ${this.ctx.label} did not produce the JSON Job Forge needs: ${parsed.reason}.`,
        parsed.reason,
      );
    }
    return {
      value: parsed.value,
      usage: {
        inputTokens: completion.usage?.prompt_tokens ?? estimateTokens(req.system + req.prompt),
        outputTokens: completion.usage?.completion_tokens ?? estimateTokens(text),
      },
    };
  }

  private toLlmError(err: unknown): LlmError {
    if (err instanceof LlmError) return err;
    const limited = limitError(this.ctx, err);
    if (limited) return limited;
    if (err instanceof OpenAI.APIUserAbortError) return cancelledError();
    if (err instanceof OpenAI.APIConnectionTimeoutError) return timeoutError(this.ctx);
    if (err instanceof OpenAI.APIConnectionError) return connectionError(this.ctx, err.cause);
    if (err instanceof OpenAI.APIError) {
      if (err.status === undefined) return malformedError(this.ctx, err.message);
      return fromHttpStatus(this.ctx, err);
    }
    const message = (err as Error | undefined)?.message ?? String(err);
    return /terminated|socket|ECONNRESET|aborted/i.test(message)
      ? connectionError(this.ctx, err)
      : malformedError(this.ctx, message.slice(0, 200));
  }
}
