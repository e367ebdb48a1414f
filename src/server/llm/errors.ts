import { ResponseDeadline, ResponseTooLarge } from '../net/guarded-fetch.ts';
import { LlmError, parseRetryAfter } from './provider.ts';

/** What an HTTP failure means to the user, for one provider. */
export interface ErrorContext {
  /** "Anthropic", "OpenAI", or "the server at http://…" for OpenAI-compatible ones. */
  label: string;
  model: string;
  endpoint: string;
}

interface HttpLike {
  status?: number;
  headers?: Headers;
  message?: string;
}

/** The provider's own explanation, shortened: useful in a 400, noise elsewhere. */
function detail(message: string | undefined): string {
  const text = (message ?? '').replace(/\s+/g, ' ').trim();
  return text ? `: ${text.slice(0, 300)}` : '';
}

/** Maps an HTTP status from a provider to an error a user can act on. */
export function fromHttpStatus(ctx: ErrorContext, err: HttpLike): LlmError {
  const status = err.status ?? 0;
  const retryAfterMs = parseRetryAfter(err.headers?.get('retry-after'));
  if (status === 401 || status === 403) {
    return new LlmError(
      'auth',
      `The API key was rejected by ${ctx.label} (HTTP ${status}). Check the key in your AI settings or the server's environment.`,
    );
  }
  if (status === 404) {
    return new LlmError(
      'not_found',
      `Model ${ctx.model} was not found on ${ctx.endpoint} (HTTP 404). Check the model name (for Ollama: \`ollama pull ${ctx.model}\`) and the base URL.`,
    );
  }
  if (status === 429) {
    return new LlmError(
      'rate_limited',
      `${ctx.label} is rate-limiting requests (HTTP 429) and still was after several attempts. Try again later or raise the account's limits.`,
      retryAfterMs,
    );
  }
  if (status >= 500) {
    return new LlmError(
      'server',
      `${ctx.label} had a server error (HTTP ${status}${status === 529 ? ', overloaded' : ''}) and still did after several attempts. Try again later.`,
      retryAfterMs,
    );
  }
  if (status === 408) {
    return new LlmError('timeout', `${ctx.label} timed out the request (HTTP 408).`, retryAfterMs);
  }
  return new LlmError(
    'bad_request',
    `${ctx.label} refused the request for model ${ctx.model} (HTTP ${status})${detail(err.message)}`,
  );
}

/** The outbound guard refused the address (a user's base URL): trying again cannot help. */
const refusedByGuard = (cause: unknown): cause is Error =>
  ['address_not_allowed', 'invalid_url', 'url_unreachable'].includes(
    (cause as { code?: unknown } | undefined)?.code as string,
  );

export const connectionError = (ctx: ErrorContext, cause: unknown) =>
  refusedByGuard(cause)
    ? new LlmError(
        'bad_request',
        `${ctx.label} at ${ctx.endpoint} cannot be used: ${cause.message}`,
      )
    : new LlmError(
        'connection',
        `Could not reach ${ctx.label} at ${ctx.endpoint}${detail((cause as Error | undefined)?.message)}. Check the base URL and that the server is running.`,
      );

export const timeoutError = (ctx: ErrorContext) =>
  new LlmError('timeout', `${ctx.label} did not answer in time (model ${ctx.model}).`);

export const malformedError = (ctx: ErrorContext, what: string) =>
  new LlmError('malformed', `${ctx.label} sent a response Job Forge cannot read: ${what}.`);

export const cancelledError = () => new LlmError('cancelled', 'The request was cancelled.');

/**
 * A limit of the bounded fetch (net/guarded-fetch.ts) that cut an answer off, wherever the SDK
 * put it (thrown as is from a stream read, or as the cause of a connection error).
 */
export function limitError(ctx: ErrorContext, err: unknown): LlmError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ResponseTooLarge) {
      return new LlmError(
        'too_large',
        `${ctx.label} sent more than Job Forge accepts in one answer (${e.message}, model ${ctx.model}); ` +
          'it stopped reading there. The server may be misbehaving: check its logs, or choose another model.',
      );
    }
    if (e instanceof ResponseDeadline) {
      return new LlmError(
        'timeout',
        `${ctx.label} was still answering when the time allowed ran out (${e.message}, model ${ctx.model}).`,
      );
    }
  }
  return undefined;
}
