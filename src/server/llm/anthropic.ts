import Anthropic from '@anthropic-ai/sdk';
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

export interface AnthropicOptions {
  apiKey: string;
  model: string;
  /** The host only (the SDK adds /v1); default https://api.anthropic.com. */
  baseUrl?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Claude through the Messages API, streamed over SSE. */
export class AnthropicProvider implements LlmProvider {
  readonly kind = 'anthropic' as const;
  readonly model: string;
  readonly endpoint: string;
  private readonly client: Anthropic;
  private readonly ctx: ErrorContext;

  constructor(opts: AnthropicOptions) {
    this.model = opts.model;
    this.endpoint = opts.baseUrl ?? 'https://api.anthropic.com';
    // Everything explicit: the SDK would otherwise read ANTHROPIC_BASE_URL / _AUTH_TOKEN.
    this.client = new Anthropic({
      apiKey: opts.apiKey,
      authToken: null,
      baseURL: this.endpoint,
      maxRetries: 0,
      timeout: opts.timeoutMs,
      fetch: opts.fetch,
    });
    this.ctx = { label: 'Anthropic', model: opts.model, endpoint: this.endpoint };
  }

  async *streamText(req: TextRequest): AsyncIterable<StreamEvent> {
    const usage: Usage = { inputTokens: 0, outputTokens: 0 };
    let stopped = false;
    try {
      const stream = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: req.maxOutputTokens,
          system: req.system,
          messages: [{ role: 'user', content: req.prompt }],
          stream: true,
        },
        { signal: req.signal },
      );
      for await (const event of stream) {
        if (event.type === 'message_start') {
          usage.inputTokens = event.message.usage.input_tokens;
          usage.outputTokens = event.message.usage.output_tokens;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          if (event.delta.text) yield { type: 'delta', text: event.delta.text };
        } else if (event.type === 'message_delta') {
          usage.outputTokens = event.usage.output_tokens;
          if (event.usage.input_tokens != null) usage.inputTokens = event.usage.input_tokens;
        } else if (event.type === 'message_stop') {
          stopped = true;
        }
      }
    } catch (err) {
      throw this.toLlmError(err);
    }
    if (!stopped) throw malformedError(this.ctx, 'the stream ended before message_stop');
    yield { type: 'usage', usage };
  }

  async generateJson<T>(req: JsonRequest<T>): Promise<{ value: T; usage: Usage }> {
    let message: Anthropic.Message;
    try {
      message = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: req.maxOutputTokens,
          system: `${req.system}\n\nAnswer with one JSON object and nothing else.`,
          messages: [{ role: 'user', content: req.prompt }],
        },
        { signal: req.signal },
      );
    } catch (err) {
      throw this.toLlmError(err);
    }
    const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const parsed = parseModelJson(text, req.schema);
    if (!parsed.ok) {
      throw new JsonAnswerError(
        `Model ${this.model} on Anthropic did not produce the JSON Job Forge needs: ${parsed.reason}.`,
        parsed.reason,
      );
    }
    return {
      value: parsed.value,
      usage: {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
      },
    };
  }

  private toLlmError(err: unknown): LlmError {
    if (err instanceof LlmError) return err;
    const limited = limitError(this.ctx, err);
    if (limited) return limited;
    if (err instanceof Anthropic.APIUserAbortError) return cancelledError();
    if (err instanceof Anthropic.APIConnectionTimeoutError) return timeoutError(this.ctx);
    if (err instanceof Anthropic.APIConnectionError) return connectionError(this.ctx, err.cause);
    if (err instanceof Anthropic.APIError) {
      // An `event: error` inside the stream has no HTTP status; overloaded_error is a 529.
      if (err.status === undefined) {
        return /overloaded/i.test(err.message)
          ? fromHttpStatus(this.ctx, { status: 529 })
          : malformedError(this.ctx, err.message);
      }
      return fromHttpStatus(this.ctx, err);
    }
    // Anything else thrown while reading the stream: unparseable SSE or a dropped socket.
    const message = (err as Error | undefined)?.message ?? String(err);
    return /terminated|socket|ECONNRESET|aborted/i.test(message)
      ? connectionError(this.ctx, err)
      : malformedError(this.ctx, message.slice(0, 200));
  }
}
