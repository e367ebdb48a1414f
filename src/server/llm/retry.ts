import { LlmError, type LlmProvider, type StreamEvent, type TextRequest } from './provider.ts';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** First backoff; doubles on each further attempt, plus up to 25 % jitter. */
  baseDelayMs: number;
  /** Longest wait we accept, Retry-After included; a provider asking for more fails now. */
  maxDelayMs: number;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmError('cancelled', 'The request was cancelled.'));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new LlmError('cancelled', 'The request was cancelled.'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The wait before attempt `attempt + 1`, or undefined when we should give up. */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  if (!(err instanceof LlmError) || !err.retryable || attempt >= policy.attempts) return undefined;
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25);
  const wait = Math.max(err.retryAfterMs ?? 0, backoff);
  return wait > policy.maxDelayMs && err.retryAfterMs !== undefined
    ? undefined
    : Math.min(wait, policy.maxDelayMs);
}

/**
 * One retry policy for every provider (the SDKs' own retries are off): 429, 5xx, timeouts and
 * dropped connections are tried again with backoff, honouring Retry-After; 400/401/404 are not.
 * A stream is retried only until its first delta: after that the text has been shown to the
 * user, and starting over would duplicate it, so the failure is reported instead.
 */
export function withRetries(
  inner: LlmProvider,
  policy: RetryPolicy,
  onRetry?: (err: LlmError, attempt: number, delayMs: number) => void,
): LlmProvider {
  return {
    kind: inner.kind,
    model: inner.model,
    endpoint: inner.endpoint,
    async *streamText(req: TextRequest): AsyncIterable<StreamEvent> {
      for (let attempt = 1; ; attempt++) {
        let started = false;
        try {
          for await (const event of inner.streamText(req)) {
            started = true;
            yield event;
          }
          return;
        } catch (err) {
          const delay = started ? undefined : retryDelay(err, attempt, policy);
          if (delay === undefined) throw err;
          onRetry?.(err as LlmError, attempt, delay);
          await sleep(delay, req.signal);
        }
      }
    },
    async generateJson(req) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.generateJson(req);
        } catch (err) {
          const delay = retryDelay(err, attempt, policy);
          if (delay === undefined) throw err;
          onRetry?.(err as LlmError, attempt, delay);
          await sleep(delay, req.signal);
        }
      }
    },
  };
}

/**
 * A stream that stops sending (the connection open, no bytes) would hang its job forever: the
 * SDKs' timeout covers only the wait for the response headers. Between two events, and before
 * the first, `idleMs` without anything aborts the request and raises a retryable `timeout`;
 * the retry policy then tries again if nothing had been streamed yet.
 */
export function withIdleTimeout(inner: LlmProvider, idleMs: number): LlmProvider {
  return {
    kind: inner.kind,
    model: inner.model,
    endpoint: inner.endpoint,
    async *streamText(req: TextRequest): AsyncIterable<StreamEvent> {
      const stall = new AbortController();
      const signal = req.signal ? AbortSignal.any([req.signal, stall.signal]) : stall.signal;
      const it = inner.streamText({ ...req, signal })[Symbol.asyncIterator]();
      let finished = false;
      try {
        for (;;) {
          let timer: NodeJS.Timeout | undefined;
          const idle = new Promise<'idle'>((resolve) => {
            timer = setTimeout(() => resolve('idle'), idleMs);
          });
          const next = it.next();
          const first = await Promise.race([next, idle]).finally(() => clearTimeout(timer));
          if (first === 'idle') {
            next.catch(() => {}); // rejects once aborted; nobody waits for it any more
            stall.abort();
            finished = true;
            throw new LlmError(
              'timeout',
              `${inner.endpoint ? `The server at ${inner.endpoint}` : 'The model'} stopped sending ` +
                `(nothing for ${Math.round(idleMs / 100) / 10} s, model ${inner.model}).`,
            );
          }
          if (first.done) {
            finished = true;
            return;
          }
          yield first.value;
        }
      } finally {
        // The consumer stopped early (cancel, a failed sibling): close the inner stream too.
        if (!finished) void it.return?.(undefined)?.catch(() => {});
      }
    },
    generateJson: (req) => inner.generateJson(req),
  };
}
