import type { ProviderKindName } from '../../contracts/ai.ts';
import { ComputePool } from '../compute/compute-pool.ts';
import { DEFAULT_MODELS, type Config } from '../config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Tx } from '../db/database.ts';
import { createProvider, type LlmProvider, type ProviderOptions } from '../llm/index.ts';
import { boundedFetch, guardedFetch, type ResponseLimits } from '../net/guarded-fetch.ts';
import type { OutboundOptions } from '../net/outbound-guard.ts';
import * as repo from './ai-settings.repository.ts';

/** The provider a user's drafts use, and whose choice it is. */
export interface EffectiveSettings {
  source: 'user' | 'server';
  kind: ProviderKindName;
  model: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** A stored key that no longer opens (the server secret changed): the user must enter it again. */
  keyUnreadable?: boolean;
}

/** The model a provider uses when the user names none. */
export const defaultModel = (kind: ProviderKindName): string | undefined =>
  kind === 'openai-compatible' ? undefined : DEFAULT_MODELS[kind];

/**
 * The one place that decides which provider drafts for a user: their AI settings when they chose
 * a provider, else the server's environment. Connections to a provider the user chose go through
 * the outbound guard; the operator's own configuration is trusted and connects directly. The
 * server's API keys are never lent to a user's settings, so they never travel to a user's URL.
 */
export class AiResolver {
  constructor(
    private readonly config: Config,
    private readonly secrets: SecretBox | undefined,
    private readonly outbound: OutboundOptions,
    /** Where the offline engine computes, and the pipeline's grounding check of its drafts. */
    readonly compute: ComputePool,
  ) {}

  /**
   * For processes that draft with the server's settings only (tests of the worker). Without a
   * pool of its own it gets one; its idle threads end by themselves and never keep a process up.
   */
  static serverOnly(config: Config, compute = new ComputePool(config.compute)): AiResolver {
    return new AiResolver(config, undefined, {}, compute);
  }

  serverSettings(): EffectiveSettings {
    const { provider, model, baseUrl, apiKey } = this.config.llm;
    return { source: 'server', kind: provider, model, baseUrl, apiKey };
  }

  /** Opens a stored key; undefined when there is none or it cannot be opened. */
  openKey(userId: string, sealed: string | null): string | undefined {
    return sealed && this.secrets ? this.secrets.decrypt(sealed, userId) : undefined;
  }

  sealKey(userId: string, key: string): string {
    if (!this.secrets) throw new Error('AiResolver has no secret box: cannot store API keys');
    return this.secrets.encrypt(key, userId);
  }

  fromRow(userId: string, row: repo.AiSettingsRow | undefined): EffectiveSettings {
    if (!row?.provider || !this.secrets) return this.serverSettings();
    const apiKey = this.openKey(userId, row.api_key_encrypted);
    return {
      source: 'user',
      kind: row.provider,
      model:
        row.provider === 'offline'
          ? DEFAULT_MODELS.offline
          : (row.model ?? defaultModel(row.provider) ?? ''),
      baseUrl: row.provider === 'offline' ? undefined : (row.base_url ?? undefined),
      apiKey,
      keyUnreadable: row.api_key_encrypted !== null && apiKey === undefined,
    };
  }

  /** The settings the user's next draft will use; call inside the user's transaction. */
  async forUser(tx: Tx, userId: string): Promise<EffectiveSettings> {
    return this.fromRow(userId, await repo.find(tx, userId));
  }

  provider(
    s: EffectiveSettings,
    opts: Partial<Pick<ProviderOptions, 'onRetry' | 'retry' | 'timeoutMs'>> = {},
  ): LlmProvider {
    const llm = this.config.llm;
    const limits = responseLimits(this.config);
    return createProvider(s, {
      timeoutMs: opts.timeoutMs ?? llm.timeoutMs,
      idleTimeoutMs: llm.idleTimeoutMs,
      retry: opts.retry ?? llm.retry,
      offlineChunkDelayMs: llm.offlineChunkDelayMs,
      compute: this.compute,
      onRetry: opts.onRetry,
      // Bounded either way: the operator's server can misbehave too (decision 063).
      fetch:
        s.source === 'user'
          ? guardedFetch({ ...this.outbound, ...limits })
          : boundedFetch(globalThis.fetch, limits),
    });
  }
}

/**
 * What one answer from a model server may be. An honest stream of N output tokens is about
 * 150–250 bytes per token on the wire (one SSE event each), so 1 KiB per allowed token (4 MiB
 * at the default 4,096) leaves room for any of them; a single event is a few hundred bytes, so
 * 256 KiB is generous. No answer outlives the job that asked for it.
 */
export function responseLimits(config: Config): ResponseLimits {
  return {
    maxBytes: Math.max(4 * 1024 * 1024, config.llm.maxOutputTokens * 1024),
    maxEventBytes: 256 * 1024,
    timeoutMs: config.worker.jobTimeoutMs,
  };
}
