import type { AiStatus } from '../../../contracts/ai.ts';
import { formatUsd } from '../drafting/usage-text.ts';

const n = (x: number) => x.toLocaleString('en-US');

export interface UsageSummary {
  /** "12,400 of 50,000 tokens used today, resets at midnight UTC." or, with no budget, "12,400 tokens used today (UTC)." */
  used: string;
  /** "37,600 tokens left." / "The budget is used up: …"; null when there is no budget. */
  budget: string | null;
  exhausted: boolean;
  /** The estimated cost today, or that it is unknown; null when it is zero (offline, local). */
  cost: string | null;
}

/**
 * Settings' words for GET /ai/status's usage and budget (`localReset`: the reset in the user's
 * clock, e.g. "01:00"). Nothing about a budget is said when the
 * operator set none (daily_token_budget null).
 */
export function usageSummary(s: AiStatus, localReset?: string): UsageSummary {
  const used = s.usage_today.total_tokens;
  const cost = s.usage_today.estimated_cost_usd;
  const costText =
    cost === null
      ? 'Estimated cost today: unknown (a model you drafted with has no known price).'
      : cost === 0
        ? null
        : `Estimated cost today: ${formatUsd(cost)}.`;
  if (s.daily_token_budget === null) {
    return {
      used: `${n(used)} tokens used today (UTC).`,
      budget: null,
      exhausted: false,
      cost: costText,
    };
  }
  const remaining = s.budget_remaining ?? Math.max(0, s.daily_token_budget - used);
  const exhausted = remaining === 0;
  return {
    used: `${n(used)} of ${n(s.daily_token_budget)} tokens used today, resets at midnight UTC${localReset ? ` (${localReset} your time)` : ''}.`,
    budget: exhausted
      ? 'Your daily budget is used up: new drafts are refused until it resets. A draft already running finishes.'
      : `${n(remaining)} tokens left today.`,
    exhausted,
    cost: costText,
  };
}

/** The reset time in the user's own clock, e.g. "01:00" (midnight UTC is not midnight for most). */
export const localResetTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
