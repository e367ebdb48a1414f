import type { Config } from '../config.ts';
import type { Tx } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { usageSince } from './generation.repository.ts';

/** Where a user stands against the operator's daily token budget (JOBFORGE_DAILY_TOKEN_BUDGET). */
export interface BudgetState {
  inputTokens: number;
  outputTokens: number;
  usedTokens: number;
  estimatedCostUsd: number | null;
  /** undefined: no budget. */
  budget: number | undefined;
  remaining: number | undefined;
  resetsAt: Date;
}

const startOfUtcDay = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/**
 * Today's usage (UTC): the tokens of the jobs the user requested since midnight UTC, counted on
 * the day a job was requested, whenever it ran. Call inside the user's transaction.
 */
export async function budgetState(
  tx: Tx,
  userId: string,
  config: Config,
  now = new Date(),
): Promise<BudgetState> {
  const since = startOfUtcDay(now);
  const u = await usageSince(tx, userId, since);
  const used = u.input_tokens + u.output_tokens;
  const budget = config.llm.dailyTokenBudget;
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    usedTokens: used,
    estimatedCostUsd: u.estimated_cost_usd,
    budget,
    remaining: budget === undefined ? undefined : Math.max(0, budget - used),
    resetsAt: new Date(since.getTime() + 86_400_000),
  };
}

const n = (x: number) => x.toLocaleString('en-US');

/**
 * The budget is checked when a job is requested and again when a worker starts it (so that
 * queueing many jobs at once does not get around it); a job that has started always finishes,
 * so a day's usage can end above the budget by at most the jobs that were running.
 */
export function assertWithinBudget(state: BudgetState, now = new Date()): void {
  if (overBudget(state)) throw budgetExceeded(state, now);
}

/** Whether today's usage has reached the budget (never, without one). */
export const overBudget = (state: BudgetState): boolean =>
  state.budget !== undefined && state.usedTokens >= state.budget;

export function budgetExceeded(state: BudgetState, now = new Date()): AppError {
  const seconds = Math.max(1, Math.ceil((state.resetsAt.getTime() - now.getTime()) / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds % 3600) / 60);
  return new AppError(
    429,
    'token_budget_exceeded',
    `Your daily AI budget is used up: ${n(state.usedTokens)} of ${n(state.budget ?? 0)} tokens today (UTC). ` +
      `It resets at midnight UTC (${state.resetsAt.toISOString()}, in ${hours > 0 ? `${hours} h ` : ''}${minutes} min). ` +
      'The budget is set by the operator of this Job Forge.',
    undefined,
    { 'retry-after': String(seconds) },
  );
}
