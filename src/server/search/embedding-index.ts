import type { AuthContext, Tenant } from '../auth/tenant.ts';
import { AppError } from '../http/errors.ts';
import type { Embedder } from '../llm/embeddings/index.ts';
import { LlmError } from '../llm/index.ts';
import {
  embeddingStorage,
  staleSubjects,
  upsertEmbedding,
  type EmbeddingStorage,
} from './embeddings.repository.ts';

/** A user's corpus is small; this only stops a runaway (the rest waits for the next request). */
const MAX_PER_REQUEST = 20_000;

export type EmbeddedKind = 'application' | 'document';

/**
 * Keeps a user's vectors up to date for the configured model, on demand: before a similar or
 * semantic query, every application and document of the user without a vector of this model for
 * its current text is embedded (in the embedder's batch size, each batch written in its own
 * transaction, the provider never called inside one). The query then searches every row exactly,
 * so recall is 1.0 by construction. Nothing is computed on write: saves never wait for a provider.
 */
export class EmbeddingIndex {
  constructor(
    private readonly tenant: Tenant,
    readonly embedder: Embedder,
  ) {}

  async refresh(auth: AuthContext, kinds: EmbeddedKind[]): Promise<EmbeddingStorage> {
    const { model, batchSize, maxChars } = this.embedder;
    const { storage, stale } = await this.tenant(auth, async (tx) => ({
      storage: await embeddingStorage(tx),
      stale: await staleSubjects(tx, {
        userId: auth.userId,
        model,
        kinds,
        limit: MAX_PER_REQUEST,
      }),
    }));
    for (let i = 0; i < stale.length; i += batchSize) {
      const batch = stale.slice(i, i + batchSize);
      const vectors = await this.embed(batch.map((s) => s.text.slice(0, maxChars)));
      await this.tenant(auth, async (tx) => {
        for (const [j, s] of batch.entries()) {
          const vector = vectors[j];
          // No content words: nothing to compare, so no row (it is simply never similar).
          if (!vector) continue;
          await upsertEmbedding(tx, storage, {
            userId: auth.userId,
            ...(s.kind === 'application' ? { applicationId: s.id } : { documentId: s.id }),
            model,
            vector,
            contentHash: s.hash,
          });
        }
      });
    }
    return storage;
  }

  /** The query's vector; a 400 when it has nothing to compare. */
  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embed([text.slice(0, this.embedder.maxChars)]);
    if (!vector) {
      throw new AppError(
        400,
        'validation_failed',
        'The query has no words to compare: write a few words of what you are looking for.',
        { q: 'has no words to compare' },
      );
    }
    return vector;
  }

  private async embed(texts: string[]): Promise<(number[] | null)[]> {
    try {
      return await this.embedder.embed(texts);
    } catch (err) {
      if (err instanceof LlmError) {
        throw new AppError(502, 'embedding_failed', `Embeddings are unavailable: ${err.message}`);
      }
      throw err;
    }
  }
}
