import type { ComputePool } from '../compute/compute-pool.ts';
import { AnthropicProvider } from './anthropic.ts';
import { OfflineProvider } from './offline/offline-provider.ts';
import { OpenAiProvider } from './openai.ts';
import type { LlmError, LlmProvider, ProviderKind } from './provider.ts';
import { withIdleTimeout, withRetries, type RetryPolicy } from './retry.ts';

export type { LlmProvider, ProviderKind, StreamEvent, Usage, TextRequest } from './provider.ts';
export { LlmError } from './provider.ts';
export type { RetryPolicy } from './retry.ts';

/** Which provider and model to draft with, and how to reach it. */
export interface ProviderSettings {
  kind: ProviderKind;
  model: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
}

export interface ProviderOptions {
  timeoutMs: number;
  /** A stream silent this long between events is abandoned as timed out; default 60 s. */
  idleTimeoutMs?: number;
  retry: RetryPolicy;
  /** The offline engine streams in chunks like a real provider; 0 in tests. */
  offlineChunkDelayMs?: number;
  /** Where the offline engine's analysis and drafting run (off the event loop); it needs one. */
  compute?: ComputePool;
  onRetry?: (err: LlmError, attempt: number, delayMs: number) => void;
  /** The HTTP client for the SDKs: the outbound guard's for addresses a user chose. */
  fetch?: typeof fetch;
}

/** The one place that turns settings into a provider; every provider gets the same retries. */
export function createProvider(s: ProviderSettings, opts: ProviderOptions): LlmProvider {
  const inner = ((): LlmProvider => {
    switch (s.kind) {
      case 'offline':
        if (!opts.compute) throw new Error('The offline engine needs the compute pool.');
        return new OfflineProvider({
          chunkDelayMs: opts.offlineChunkDelayMs ?? 0,
          compute: opts.compute,
        });
      case 'anthropic':
        return new AnthropicProvider({
          apiKey: s.apiKey ?? '',
          model: s.model,
          baseUrl: s.baseUrl,
          timeoutMs: opts.timeoutMs,
          fetch: opts.fetch,
        });
      case 'openai':
      case 'openai-compatible':
        return new OpenAiProvider({
          kind: s.kind,
          apiKey: s.apiKey,
          model: s.model,
          baseUrl: s.baseUrl,
          timeoutMs: opts.timeoutMs,
          fetch: opts.fetch,
        });
    }
  })();
  return withRetries(
    withIdleTimeout(inner, opts.idleTimeoutMs ?? 60_000),
    opts.retry,
    opts.onRetry,
  );
}
