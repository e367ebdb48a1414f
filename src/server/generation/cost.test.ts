import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { estimateCostUsd, isLocalUrl, priceFor } from './cost.ts';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ JOBFORGE_DATA_DIR: '/tmp/x', ...env });

describe('cost estimate', () => {
  test('when a known model is used, then its list price applies, dated variants included, the longest name winning', () => {
    const c = config();
    const price = (kind: string, model: string, baseUrl?: string) =>
      priceFor(c, { kind, model, baseUrl });
    assert.deepEqual(price('openai', 'gpt-4o-mini-2024-07-18'), { input: 0.15, output: 0.6 });
    assert.deepEqual(price('openai', 'gpt-4o'), { input: 2.5, output: 10 });
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-5-20250929'), { input: 3, output: 15 });
    assert.deepEqual(price('anthropic', 'claude-opus-4-5'), { input: 5, output: 25 });
    assert.equal(price('anthropic', 'claude-unknown-9'), undefined);
    assert.equal(price('openai', 'gpt-4ox'), undefined, 'a prefix must end at a dash');
    assert.deepEqual(price('offline', 'jobforge-offline-1'), { input: 0, output: 0 });
    assert.deepEqual(price('openai-compatible', 'llama3', 'http://localhost:11434/v1'), {
      input: 0,
      output: 0,
    });
    assert.equal(price('openai-compatible', 'llama3', 'https://openrouter.ai/api/v1'), undefined);
  });

  test('when the operator sets prices, then they win: unnamed for the server’s model, named for any', () => {
    const c = config({
      JOBFORGE_LLM_PROVIDER: 'openai-compatible',
      JOBFORGE_LLM_BASE_URL: 'https://openrouter.ai/api/v1',
      JOBFORGE_LLM_MODEL: 'meta/llama-3',
      JOBFORGE_LLM_PRICE_PER_MTOK: '0.2,0.4; GPT-4o=3,12',
    });
    assert.deepEqual(
      priceFor(c, {
        kind: 'openai-compatible',
        model: 'meta/llama-3',
        baseUrl: 'https://openrouter.ai/api/v1',
      }),
      { input: 0.2, output: 0.4 },
    );
    assert.deepEqual(priceFor(c, { kind: 'openai', model: 'gpt-4o', baseUrl: undefined }), {
      input: 3,
      output: 12,
    });
    assert.throws(
      () => config({ JOBFORGE_LLM_PRICE_PER_MTOK: '3' }),
      /JOBFORGE_LLM_PRICE_PER_MTOK: "3" is not a price/,
    );
    assert.throws(() => config({ JOBFORGE_LLM_PRICE_PER_MTOK: 'x=-1,2' }), /not a price/);
  });

  test('when tokens are priced, then the cost is in dollars to the micro-dollar, and null when unknown', () => {
    assert.equal(
      estimateCostUsd({ input: 1_000_000, output: 500_000 }, { input: 3, output: 15 }),
      10.5,
    );
    assert.equal(
      estimateCostUsd({ input: 80, output: 40 }, { input: 0.15, output: 0.6 }),
      0.000036,
    );
    assert.equal(estimateCostUsd({ input: 80, output: 40 }, undefined), null);
    assert.equal(isLocalUrl('http://192.168.1.20:8080/v1'), true);
    assert.equal(isLocalUrl('http://[::1]:8080/v1'), true);
    // Judged like the outbound guard: Tailscale's 100.64/10 and IPv6 unique-local are local too.
    assert.equal(isLocalUrl('http://100.101.102.103:11434/v1'), true);
    assert.equal(isLocalUrl('http://[fd12:3456::1]:11434/v1'), true);
    assert.equal(isLocalUrl('http://8.8.8.8/v1'), false);
    assert.equal(isLocalUrl('https://api.openai.com/v1'), false);
  });
});
