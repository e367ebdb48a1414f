import net from 'node:net';
import { deniedReason } from '../net/address-policy.ts';
import type { Config, Price } from '../config.ts';

/**
 * Built-in list prices, USD per million tokens (input, output), as Anthropic and OpenAI publish
 * them. Keys match a model name and its dated variants ("claude-sonnet-4-5-20250929"); the
 * longest matching key wins, so "gpt-4o-mini" is not priced as "gpt-4o". Operators correct or
 * extend it with JOBFORGE_LLM_PRICE_PER_MTOK; the figure is an estimate, not an invoice.
 */
const BUILT_IN: Record<'anthropic' | 'openai', Record<string, Price>> = {
  anthropic: {
    'claude-opus-4-5': { input: 5, output: 25 },
    'claude-opus-4': { input: 15, output: 75 },
    'claude-3-opus': { input: 15, output: 75 },
    'claude-sonnet-4': { input: 3, output: 15 },
    'claude-3-7-sonnet': { input: 3, output: 15 },
    'claude-3-5-sonnet': { input: 3, output: 15 },
    'claude-haiku-4-5': { input: 1, output: 5 },
    'claude-3-5-haiku': { input: 0.8, output: 4 },
    'claude-3-haiku': { input: 0.25, output: 1.25 },
  },
  openai: {
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    'gpt-5-nano': { input: 0.05, output: 0.4 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    o3: { input: 2, output: 8 },
    'o4-mini': { input: 1.1, output: 4.4 },
  },
};

const FREE: Price = { input: 0, output: 0 };

/**
 * A model server on this machine or the local network: no bill to estimate. An address is judged
 * by the outbound guard's own policy (one list of private ranges in Job Forge); names by the
 * conventions for local hosts.
 */
export function isLocalUrl(url: string | undefined): boolean {
  if (!url) return false;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  if (net.isIP(host)) return deniedReason(host) !== undefined;
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host === 'host.docker.internal'
  );
}

/**
 * The price of one model as a job uses it, or undefined when unknown (the cost is then
 * reported as null). Order: the operator's price for this model name, their price for the
 * server's own model, free for the offline engine and local servers, the built-in table.
 */
export function priceFor(
  config: Config,
  s: { kind: string; model: string; baseUrl: string | undefined },
): Price | undefined {
  const { prices } = config.llm;
  const name = s.model.toLowerCase();
  const named = prices.models[name];
  if (named) return named;
  if (prices.server && s.kind === config.llm.provider && s.model === config.llm.model)
    return prices.server;
  if (s.kind === 'offline') return FREE;
  if (s.kind === 'openai-compatible') return isLocalUrl(s.baseUrl) ? FREE : undefined;
  if (s.kind !== 'anthropic' && s.kind !== 'openai') return undefined;
  const table = BUILT_IN[s.kind];
  const key = Object.keys(table)
    .filter((k) => name === k || name.startsWith(`${k}-`))
    .sort((a, b) => b.length - a.length)[0];
  return key ? table[key] : undefined;
}

/** USD for these tokens, rounded to micro-dollars; null when the price is unknown. */
export function estimateCostUsd(
  usage: { input: number; output: number },
  price: Price | undefined,
): number | null {
  if (!price) return null;
  const usd = (usage.input * price.input + usage.output * price.output) / 1_000_000;
  return Math.round(usd * 1_000_000) / 1_000_000;
}
