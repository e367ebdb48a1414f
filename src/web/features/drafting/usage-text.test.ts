import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUsd, jobUsageText } from './usage-text.ts';

describe('job usage text', () => {
  test('when a priced model drafted, then tokens in and out and the estimated cost are given', () => {
    assert.equal(
      jobUsageText({ input_tokens: 12_000, output_tokens: 3_456, estimated_cost_usd: 0.0879 }),
      '15,456 tokens (12,000 in, 3,456 out), estimated cost $0.09',
    );
  });

  test('when the model has no known price, then the text says the cost is unknown', () => {
    assert.equal(
      jobUsageText({ input_tokens: 10, output_tokens: 5, estimated_cost_usd: null }),
      '15 tokens (10 in, 5 out), cost unknown for this model',
    );
  });

  test('when the cost is zero (the offline engine), then only tokens are given', () => {
    assert.equal(
      jobUsageText({ input_tokens: 900, output_tokens: 100, estimated_cost_usd: 0 }),
      '1,000 tokens (900 in, 100 out)',
    );
  });

  test('when the job used no tokens, then there is nothing to say', () => {
    assert.equal(jobUsageText({ input_tokens: 0, output_tokens: 0, estimated_cost_usd: 0 }), null);
  });

  test('when a cost is under a cent, then it is not rounded to $0.00', () => {
    assert.equal(formatUsd(0.004), 'less than $0.01');
    assert.equal(formatUsd(1.5), '$1.50');
  });
});
