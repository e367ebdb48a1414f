import type { Config } from '../../config.ts';
import { retryDelay, sleep, type RetryPolicy } from '../retry.ts';
import type { Embedder } from './embedder.ts';
import { LexicalEmbedder } from './lexical.ts';
import { OpenAiEmbedder } from './openai.ts';

export type { Embedder } from './embedder.ts';
export { LEXICAL_MODEL, lexicalVector } from './lexical.ts';

/**
 * Embeddings are computed while a person waits for similar applications or a search: a short
 * policy (about 1.5 s of backoff at most), not the drafting jobs' patient one.
 */
export const EMBEDDING_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 4_000 };

/** The server's embedder, from its configuration (JOBFORGE_EMBEDDING_*). */
export function createEmbedder(c: Config['embedding']): Embedder {
  switch (c.provider) {
    case 'lexical':
      return new LexicalEmbedder();
    case 'openai':
    case 'openai-compatible':
      return withEmbeddingRetries(
        new OpenAiEmbedder({
          kind: c.provider,
          model: c.model ?? '',
          baseUrl: c.baseUrl,
          apiKey: c.apiKey,
          timeoutMs: c.timeoutMs,
        }),
        EMBEDDING_RETRY,
      );
  }
}

/** 429, 5xx, timeouts and dropped connections tried again with backoff (Retry-After honoured). */
export function withEmbeddingRetries(inner: Embedder, policy: RetryPolicy): Embedder {
  return {
    model: inner.model,
    batchSize: inner.batchSize,
    maxChars: inner.maxChars,
    async embed(texts, signal) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.embed(texts, signal);
        } catch (err) {
          const delay = retryDelay(err, attempt, policy);
          if (delay === undefined) throw err;
          await sleep(delay, signal);
        }
      }
    },
  };
}
