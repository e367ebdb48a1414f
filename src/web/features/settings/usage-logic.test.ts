import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AiStatus } from '../../../contracts/ai.ts';
import { usageSummary } from './usage-logic.ts';

const status = (over: Partial<AiStatus>): AiStatus => ({
  source: 'server',
  provider: 'offline',
  model: 'offline',
  base_url: null,
  api_key_set: false,
  usage_today: { input_tokens: 0, output_tokens: 0, total_tokens: 0, estimated_cost_usd: 0 },
  daily_token_budget: null,
  budget_remaining: null,
  budget_resets_at: '2026-11-26T00:00:00.000Z',
  ...over,
});

const usage = (total: number, cost: number | null) => ({
  input_tokens: total - 400,
  output_tokens: 400,
  total_tokens: total,
  estimated_cost_usd: cost,
});

describe('AI usage in Settings', () => {
  test('when the operator set a budget, then used of budget, the reset and what is left are said', () => {
    const s = usageSummary(
      status({
        usage_today: usage(12_400, 0.0412),
        daily_token_budget: 50_000,
        budget_remaining: 37_600,
      }),
    );
    assert.deepEqual(s, {
      used: '12,400 of 50,000 tokens used today, resets at midnight UTC.',
      budget: '37,600 tokens left today.',
      exhausted: false,
      cost: 'Estimated cost today: $0.04.',
    });
  });

  test('when the budget is used up, then it says drafts are refused until the reset', () => {
    const s = usageSummary(
      status({ usage_today: usage(52_000, 0), daily_token_budget: 50_000, budget_remaining: 0 }),
    );
    assert.equal(s.exhausted, true);
    assert.equal(s.used, '52,000 of 50,000 tokens used today, resets at midnight UTC.');
    assert.equal(
      usageSummary(status({ daily_token_budget: 50_000, budget_remaining: 50_000 }), '01:00').used,
      '0 of 50,000 tokens used today, resets at midnight UTC (01:00 your time).',
    );
    assert.match(s.budget ?? '', /used up: new drafts are refused until it resets/);
    assert.equal(s.cost, null, 'the offline engine costs nothing: no cost line');
  });

  test('when there is no budget, then only the usage is said, nothing about a budget', () => {
    const s = usageSummary(status({ usage_today: usage(1_000, null) }));
    assert.equal(s.used, '1,000 tokens used today (UTC).');
    assert.equal(s.budget, null);
    assert.equal(s.exhausted, false);
    assert.doesNotMatch(Object.values(s).join(' '), /budget|resets/i);
    assert.match(s.cost ?? '', /unknown/);
  });
});
