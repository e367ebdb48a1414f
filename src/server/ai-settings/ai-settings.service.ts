import { createHash } from 'node:crypto';
import { z } from 'zod';
import type {
  AiSettings,
  AiSettingsBody,
  AiStatus,
  TestConnectionBody,
  TestConnectionResult,
} from '../../contracts/ai.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { Config } from '../config.ts';
import { budgetState } from '../generation/budget.ts';
import { AppError, tooManyRequests, validationFailed } from '../http/errors.ts';
import { LlmError } from '../llm/index.ts';
import { checkTarget, type OutboundOptions } from '../net/outbound-guard.ts';
import { defaultModel, type AiResolver, type EffectiveSettings } from './ai-resolver.ts';
import * as repo from './ai-settings.repository.ts';

const LABELS = {
  offline: 'the offline engine',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  'openai-compatible': 'the OpenAI-compatible server',
} as const;

/** A test call is one short attempt: the user is waiting for the answer. */
const TEST_TIMEOUT_MS = 30_000;

/**
 * Connection tests make outbound calls to addresses a user chooses: a few per user per window
 * are plenty for setting up a provider, and the limit keeps the server from being used to probe.
 */
export const TEST_CONNECTION_LIMIT = { attempts: 10, windowSeconds: 600 };
const testConnectionKey = (userId: string) =>
  createHash('sha256').update(`ai-test-connection:${userId}`).digest();

/** Base URLs compared as URLs: case of the host and a trailing slash do not make another server. */
function sameBaseUrl(a: string | undefined, b: string | undefined): boolean {
  const norm = (u: string | undefined) => {
    if (u === undefined) return undefined;
    try {
      return new URL(u).href.replace(/(?<!\/)\/+$/, '');
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

const where = (kind: keyof typeof LABELS, baseUrl: string | undefined) =>
  `${LABELS[kind]}${baseUrl ? ` at ${baseUrl}` : ''}`;

function keyForAnotherServer(
  saved: EffectiveSettings,
  body: NonNullable<TestConnectionBody>,
): AppError {
  const message =
    `Your saved API key is only sent to the server it was saved for (${where(saved.kind, saved.baseUrl)}). ` +
    `To test ${where(body.provider, body.base_url)}, enter the API key for it (or save these settings first).`;
  return new AppError(400, 'api_key_required', message, {
    api_key: 'is required to test a provider or base URL other than the saved one',
  });
}

const present = (row: repo.AiSettingsRow | undefined): AiSettings => ({
  provider: row?.provider ?? null,
  model: row?.model ?? null,
  base_url: row?.base_url ?? null,
  api_key_set: Boolean(row?.api_key_encrypted),
  updated_at: row?.updated_at ?? null,
});

/** Users' own provider settings, the status of what drafts will use, and connection tests. */
export class AiSettingsService {
  constructor(
    private readonly tenant: Tenant,
    private readonly ai: AiResolver,
    private readonly outbound: OutboundOptions,
    private readonly config: Config,
  ) {}

  get(auth: AuthContext): Promise<AiSettings> {
    return this.tenant(auth, async (tx) => present(await repo.find(tx, auth.userId)));
  }

  /** Replaces the settings; the key is kept when omitted, cleared when null. */
  async put(auth: AuthContext, body: AiSettingsBody): Promise<AiSettings> {
    const provider = body.provider;
    const model = provider === null || provider === 'offline' ? null : (body.model ?? null);
    const baseUrl = provider === null || provider === 'offline' ? null : (body.base_url ?? null);
    if (provider === 'offline' && (body.model || body.base_url)) {
      throw validationFailed('The offline engine is built in: it takes no model or base URL.', {
        ...(body.model ? { model: 'must be null for the offline engine' } : {}),
        ...(body.base_url ? { base_url: 'must be null for the offline engine' } : {}),
      });
    }
    if (provider === 'openai-compatible' && (!baseUrl || !model)) {
      throw validationFailed(
        'An OpenAI-compatible server needs its base URL (with /v1) and a model name.',
        {
          ...(baseUrl ? {} : { base_url: 'is required for openai-compatible' }),
          ...(model ? {} : { model: 'is required for openai-compatible' }),
        },
      );
    }
    if (baseUrl) await this.checkBaseUrl(baseUrl);
    const sealed =
      body.api_key === undefined
        ? undefined
        : body.api_key === null
          ? null
          : this.ai.sealKey(auth.userId, body.api_key);
    return this.tenant(auth, async (tx) => {
      if (provider === 'anthropic' || provider === 'openai') {
        const stored = (await repo.find(tx, auth.userId))?.api_key_encrypted ?? null;
        const hasKey = sealed !== undefined ? sealed !== null : stored !== null;
        if (!hasKey) {
          throw validationFailed(`${LABELS[provider]} needs an API key of your own.`, {
            api_key: `is required for ${provider}`,
          });
        }
      }
      const row = await repo.upsert(tx, auth.userId, {
        provider,
        model,
        baseUrl,
        apiKeyEncrypted: sealed,
      });
      return present(row);
    });
  }

  status(auth: AuthContext): Promise<AiStatus> {
    return this.tenant(auth, async (tx) => {
      const s = await this.ai.forUser(tx, auth.userId);
      const b = await budgetState(tx, auth.userId, this.config);
      return {
        source: s.source,
        provider: s.kind,
        model: s.model,
        base_url: s.baseUrl ?? null,
        api_key_set: s.apiKey !== undefined,
        usage_today: {
          input_tokens: b.inputTokens,
          output_tokens: b.outputTokens,
          total_tokens: b.usedTokens,
          estimated_cost_usd: b.estimatedCostUsd,
        },
        daily_token_budget: b.budget ?? null,
        budget_remaining: b.remaining ?? null,
        budget_resets_at: b.resetsAt.toISOString(),
      };
    });
  }

  /** One short request to the provider; what failed is in the message, never a 5xx. */
  async testConnection(auth: AuthContext, body: TestConnectionBody): Promise<TestConnectionResult> {
    const s = await this.tenant(auth, async (tx): Promise<EffectiveSettings> => {
      const { attempts, windowSeconds } = TEST_CONNECTION_LIMIT;
      const used = await repo.countAttempt(tx, testConnectionKey(auth.userId), windowSeconds);
      if (used.count > attempts) {
        throw tooManyRequests(
          used.retryAfter,
          `You have tested a connection ${attempts} times in the last ${windowSeconds / 60} minutes. ` +
            `Wait ${Math.max(1, Math.ceil(used.retryAfter / 60))} min and try again.`,
        );
      }
      const current = await this.ai.forUser(tx, auth.userId);
      if (!body) return current;
      // The stored key goes only where it was saved for: the same provider at the same base URL.
      // Anything else is a server the key's owner never chose for it (a typo, or a server that
      // collects keys), so it takes a key given with the request.
      const stored = current.source === 'user' ? current.apiKey : undefined;
      const sameTarget =
        current.source === 'user' &&
        current.kind === body.provider &&
        sameBaseUrl(current.baseUrl, body.base_url);
      if (body.api_key === undefined && stored !== undefined && !sameTarget) {
        throw keyForAnotherServer(current, body);
      }
      return {
        source: 'user',
        kind: body.provider,
        model: body.model ?? defaultModel(body.provider) ?? '',
        baseUrl: body.base_url,
        apiKey: body.api_key ?? (sameTarget ? stored : undefined),
      };
    });
    const result = (ok: boolean, message: string): TestConnectionResult => ({
      ok,
      provider: s.kind,
      model: s.model,
      message,
    });
    if (s.kind === 'offline') {
      return result(true, 'The built-in offline engine is always available: no network, no key.');
    }
    if (!s.model) return result(false, 'Name the model to use (for example llama3.1:8b).');
    if (s.kind !== 'openai-compatible' && !s.apiKey) {
      return result(
        false,
        s.keyUnreadable
          ? 'Your stored API key can no longer be read (the server’s secret changed). Enter it again.'
          : `An API key is needed for ${LABELS[s.kind]}.`,
      );
    }
    if (s.kind === 'openai-compatible' && !s.baseUrl) {
      return result(false, 'An OpenAI-compatible server needs its base URL (with /v1).');
    }
    if (s.source === 'user' && s.baseUrl) {
      try {
        await this.checkBaseUrl(s.baseUrl);
      } catch (err) {
        if (err instanceof AppError) return result(false, err.message);
        throw err;
      }
    }
    const provider = this.ai.provider(s, {
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      timeoutMs: Math.min(this.config.llm.timeoutMs, TEST_TIMEOUT_MS),
    });
    try {
      await provider.generateJson({
        system: 'You answer connection checks.',
        prompt: 'Reply with exactly this JSON object: {"ok": true}',
        schema: z.object({ ok: z.boolean() }),
        schemaName: 'connection_check',
        maxOutputTokens: 64,
      });
    } catch (err) {
      if (!(err instanceof LlmError)) throw err;
      return result(
        false,
        err.kind === 'malformed'
          ? `${err.message} The model answered but cannot produce the JSON output Job Forge needs; choose a model with JSON support.`
          : err.message,
      );
    }
    return result(
      true,
      `Connected: ${LABELS[s.kind]}${s.baseUrl ? ` at ${s.baseUrl}` : ''} answered with model ${s.model}.`,
    );
  }

  /** The outbound guard on a user's base URL, as a 400 that says what to change. */
  private async checkBaseUrl(url: string): Promise<void> {
    try {
      await checkTarget(url, this.outbound);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const hint =
        err.code === 'address_not_allowed'
          ? ' A model server on this machine or your own network (Ollama, LM Studio) can only be used when the operator sets JOBFORGE_ALLOW_PRIVATE_URLS=true.'
          : '';
      const message = `${err.message.replace(' Job Forge only fetches public web pages.', '')}${hint}`;
      throw new AppError(400, err.code, message, { base_url: message });
    }
  }
}
