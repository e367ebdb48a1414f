import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AiResolver } from '../ai-settings/ai-resolver.ts';
import type { Tenant } from '../auth/tenant.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { EmbeddingIndex } from '../search/embedding-index.ts';
import type { OutboundOptions } from '../net/outbound-guard.ts';

/** The Fastify instance routes are declared on: zod schemas type the handlers. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every feature's routes may use. Built once in app.ts. */
export interface AppDeps {
  config: Config;
  db: Database;
  tokens: TokenService;
  tenant: Tenant;
  /** Background jobs: tell this instance's worker that a job was queued. */
  jobs: {
    queued(): void;
    /** How long an event stream waits for a wake-up before it reads anyway (decision 013). */
    streamPollMs(): number;
  };
  /** Which LLM provider drafts for a user: their AI settings, else the server's. */
  ai: AiResolver;
  /** Fetches of user-supplied URLs go through the outbound guard with these options. */
  outbound: OutboundOptions;
  /** CPU-heavy work (parsing, analysis, rendering) runs here, off the event loop. */
  compute: ComputePool;
  /** The user's vectors for similar applications and semantic search (one per server). */
  embeddings: EmbeddingIndex;
}
