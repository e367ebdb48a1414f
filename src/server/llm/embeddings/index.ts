import type { Config } from '../../config.ts';
import type { Embedder } from './embedder.ts';
import { LexicalEmbedder } from './lexical.ts';
import { OpenAiEmbedder } from './openai.ts';

export type { Embedder } from './embedder.ts';
export { LEXICAL_MODEL, lexicalVector } from './lexical.ts';

/** The server's embedder, from its configuration (JOBFORGE_EMBEDDING_*). */
export function createEmbedder(c: Config['embedding']): Embedder {
  switch (c.provider) {
    case 'lexical':
      return new LexicalEmbedder();
    case 'openai':
    case 'openai-compatible':
      return new OpenAiEmbedder({
        kind: c.provider,
        model: c.model ?? '',
        baseUrl: c.baseUrl,
        apiKey: c.apiKey,
        timeoutMs: c.timeoutMs,
      });
  }
}
