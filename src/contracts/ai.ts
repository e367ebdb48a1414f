import { z } from 'zod';
import { httpUrl, requiredText, text, timestamp } from './common.ts';

export const providerKind = z
  .enum(['offline', 'anthropic', 'openai', 'openai-compatible'])
  .meta({ id: 'LlmProvider' });
export type ProviderKindName = z.infer<typeof providerKind>;

export const aiSettings = z
  .object({
    provider: providerKind.nullable().describe('null: the server’s provider'),
    model: z.string().nullable(),
    base_url: z.string().nullable(),
    api_key_set: z.boolean().describe('The key itself is never returned'),
    updated_at: timestamp.nullable(),
  })
  .meta({ id: 'AiSettings' });
export type AiSettings = z.infer<typeof aiSettings>;

const apiKey = requiredText(500).refine((s) => !/\s/.test(s), 'must not contain spaces');

export const aiSettingsBody = z
  .strictObject({
    provider: providerKind.nullable().describe('null: use the server’s provider'),
    model: requiredText(200)
      .nullable()
      .optional()
      .describe('Free text (e.g. llama3.1:8b); default: the provider’s default model'),
    base_url: httpUrl
      .nullable()
      .optional()
      .describe(
        'For openai-compatible servers, with /v1 (http://localhost:11434/v1); private addresses need JOBFORGE_ALLOW_PRIVATE_URLS=true',
      ),
    api_key: apiKey.nullable().optional().describe('Omit to keep the stored key; null clears it'),
  })
  .meta({ id: 'AiSettingsBody' });
export type AiSettingsBody = z.infer<typeof aiSettingsBody>;

export const aiStatus = z
  .object({
    source: z.enum(['user', 'server']).describe('Whose settings your drafts use'),
    provider: providerKind,
    model: z.string(),
    base_url: z.string().nullable(),
    api_key_set: z.boolean(),
    usage_today: z
      .object({
        input_tokens: z.number().int(),
        output_tokens: z.number().int(),
        total_tokens: z.number().int(),
        estimated_cost_usd: z
          .number()
          .nullable()
          .describe('null when a model you drafted with today has no known price'),
      })
      .describe('Tokens of the jobs you requested today (UTC)'),
    daily_token_budget: z
      .number()
      .int()
      .nullable()
      .describe('Tokens (input + output) you may use per UTC day; null: no limit'),
    budget_remaining: z.number().int().nullable().describe('null: no limit'),
    budget_resets_at: timestamp.describe('The next midnight UTC'),
  })
  .meta({ id: 'AiStatus' });
export type AiStatus = z.infer<typeof aiStatus>;

export const testConnectionBody = z
  .strictObject({
    provider: providerKind,
    model: requiredText(200).optional(),
    base_url: httpUrl.optional(),
    api_key: apiKey.optional().describe('Default: your stored key, for the same provider'),
  })
  // Fastify hands a bodyless POST over as null.
  .nullish()
  .describe('Omit the body to test the settings your drafts use');
export type TestConnectionBody = z.infer<typeof testConnectionBody>;

export const testConnectionResult = z
  .object({
    ok: z.boolean(),
    provider: providerKind,
    model: z.string(),
    message: text(2000).describe('What worked, or what to fix'),
  })
  .meta({ id: 'TestConnectionResult' });
export type TestConnectionResult = z.infer<typeof testConnectionResult>;
