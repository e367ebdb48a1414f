import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import {
  startFakeAnthropic,
  startFakeOpenAi,
  type FakeServer,
} from '../../../test/fakes/llm-servers.ts';
import { createProvider, LlmError, type LlmProvider, type ProviderKind } from './index.ts';
import type { StreamEvent } from './provider.ts';

const KEY = 'sk-test-key';
const INPUTS = {
  job: { company: 'Acme', role: 'Engineer', location: null, description: 'Build things.' },
  resume: 'Ada',
};

async function collect(p: LlmProvider, signal?: AbortSignal) {
  const events: StreamEvent[] = [];
  for await (const e of p.streamText({
    task: 'research_report',
    system: 'system text',
    prompt: 'user text',
    inputs: INPUTS,
    maxOutputTokens: 321,
    signal,
  })) {
    events.push(e);
  }
  return {
    text: events.map((e) => (e.type === 'delta' ? e.text : '')).join(''),
    deltas: events.filter((e) => e.type === 'delta').length,
    usage: events.find((e) => e.type === 'usage'),
  };
}

const cases: { kind: ProviderKind; start: typeof startFakeAnthropic; label: RegExp }[] = [
  { kind: 'anthropic', start: startFakeAnthropic, label: /Anthropic/ },
  { kind: 'openai', start: startFakeOpenAi, label: /OpenAI/ },
  {
    kind: 'openai-compatible',
    start: startFakeOpenAi,
    label: /the server at http:\/\/127\.0\.0\.1/,
  },
];

for (const { kind, start, label } of cases) {
  describe(`${kind} provider through the real SDK against a fake server`, () => {
    let fake: FakeServer;
    const retries: number[] = [];
    const provider = (over: { model?: string; apiKey?: string; attempts?: number } = {}) =>
      createProvider(
        {
          kind,
          model: over.model ?? 'model-a',
          baseUrl: fake.url,
          apiKey: over.apiKey ?? KEY,
        },
        {
          timeoutMs: 300,
          retry: { attempts: over.attempts ?? 3, baseDelayMs: 5, maxDelayMs: 2000 },
          onRetry: (_e, _a, delay) => retries.push(delay),
        },
      );
    before(async () => {
      fake = await start({ apiKey: KEY, models: ['model-a', 'llama3'] });
    });
    after(() => fake.close());
    const fresh = (steps: Parameters<FakeServer['script']>[0]) => {
      fake.requests.length = 0;
      retries.length = 0;
      fake.script(steps);
    };

    test('when the model streams, then the deltas arrive in order with the usage, and the request carries model, limit, system and key', async () => {
      fresh([{ kind: 'text', chunks: ['Hel', 'lo, ', 'world'], usage: { input: 42, output: 7 } }]);
      const r = await collect(provider());
      assert.equal(r.text, 'Hello, world');
      assert.equal(r.deltas, 3);
      assert.deepEqual(r.usage, { type: 'usage', usage: { inputTokens: 42, outputTokens: 7 } });
      const req = fake.requests[0]!;
      assert.equal(req.body.model, 'model-a');
      assert.equal(req.body.stream, true);
      const limit = req.body.max_tokens ?? req.body.max_completion_tokens;
      assert.equal(limit, 321);
      if (kind === 'openai') assert.equal(req.body.max_completion_tokens, 321);
      if (kind === 'openai-compatible') assert.equal(req.body.max_tokens, 321);
      const system = kind === 'anthropic' ? req.body.system : req.body.messages[0].content;
      assert.equal(system, 'system text');
      const key = req.headers['x-api-key'] ?? req.headers.authorization;
      assert.match(String(key), /sk-test-key/);
    });

    test('when the server answers 429 with Retry-After, then the call waits that long and succeeds', async () => {
      fresh([
        { kind: 'error', status: 429, retryAfter: '0.2' },
        { kind: 'text', chunks: ['after wait'] },
      ]);
      const started = Date.now();
      const r = await collect(provider());
      assert.equal(r.text, 'after wait');
      assert.equal(fake.requests.length, 2);
      assert.ok(retries[0]! >= 200, `waited ${retries[0]} ms`);
      assert.ok(Date.now() - started >= 190);
    });

    test('when the server fails with 500, 529, a reset connection or a timeout, then it is retried', async () => {
      fresh([
        { kind: 'error', status: 500 },
        { kind: 'error', status: 529 },
        { kind: 'text', chunks: ['third time'] },
      ]);
      assert.equal((await collect(provider())).text, 'third time');
      assert.equal(fake.requests.length, 3);
      fresh([{ kind: 'reset' }, { kind: 'hang' }, { kind: 'text', chunks: ['recovered'] }]);
      assert.equal((await collect(provider())).text, 'recovered');
      assert.equal(fake.requests.length, 3);
    });

    test('when every attempt fails, then the error says what happened and that it was retried', async () => {
      fresh([
        { kind: 'error', status: 503 },
        { kind: 'error', status: 503 },
      ]);
      await assert.rejects(collect(provider({ attempts: 2 })), (err: LlmError) => {
        assert.equal(err.kind, 'server');
        assert.match(err.message, label);
        assert.match(err.message, /HTTP 503.*after several attempts/);
        return true;
      });
      assert.equal(fake.requests.length, 2);
      fresh([{ kind: 'hang' }, { kind: 'hang' }]);
      await assert.rejects(collect(provider({ attempts: 2 })), {
        name: 'LlmError',
        kind: 'timeout',
      });
    });

    test('when the key is wrong, then one request and "the API key was rejected"', async () => {
      fresh([]);
      await assert.rejects(collect(provider({ apiKey: 'wrong' })), (err: LlmError) => {
        assert.equal(err.kind, 'auth');
        assert.match(err.message, /The API key was rejected by/);
        assert.match(err.message, label);
        return true;
      });
      assert.equal(fake.requests.length, 1);
    });

    test('when the model does not exist, then one request and "model … not found on <url>"', async () => {
      fresh([]);
      await assert.rejects(collect(provider({ model: 'llama9' })), (err: LlmError) => {
        assert.equal(err.kind, 'not_found');
        assert.ok(err.message.includes(`Model llama9 was not found on ${fake.url}`), err.message);
        return true;
      });
      assert.equal(fake.requests.length, 1);
    });

    test('when the stream is malformed, then a clear error and no retry', async () => {
      fresh([{ kind: 'malformed' }, { kind: 'text', chunks: ['never'] }]);
      await assert.rejects(collect(provider()), { name: 'LlmError', kind: 'malformed' });
      assert.equal(fake.requests.length, 1);
    });

    test('when the connection drops mid-stream, then the text so far is not repeated and the error is reported', async () => {
      fresh([
        { kind: 'reset-mid-stream', chunks: ['partial '] },
        { kind: 'text', chunks: ['x'] },
      ]);
      const seen: string[] = [];
      await assert.rejects(async () => {
        for await (const e of provider().streamText({
          task: 'cover_letter',
          system: 's',
          prompt: 'p',
          inputs: INPUTS,
          maxOutputTokens: 10,
        })) {
          if (e.type === 'delta') seen.push(e.text);
        }
      }, LlmError);
      assert.deepEqual(seen, ['partial ']);
      assert.equal(fake.requests.length, 1);
    });

    test('when the stream stalls before its first token, then the attempt times out and is retried; after a token, the timeout is reported', async () => {
      const stalling = (attempts: number) =>
        createProvider(
          { kind, model: 'model-a', baseUrl: fake.url, apiKey: KEY },
          {
            timeoutMs: 5000,
            idleTimeoutMs: 150,
            retry: { attempts, baseDelayMs: 5, maxDelayMs: 100 },
            onRetry: (_e, _a, delay) => retries.push(delay),
          },
        );
      fresh([
        { kind: 'stall', chunks: [] },
        { kind: 'text', chunks: ['after ', 'the stall'] },
      ]);
      const retried = await collect(stalling(2));
      assert.equal(retried.text, 'after the stall');
      assert.equal(fake.requests.length, 2);
      assert.equal(retries.length, 1);

      fresh([
        { kind: 'stall', chunks: ['half '] },
        { kind: 'text', chunks: ['never'] },
      ]);
      const seen: string[] = [];
      await assert.rejects(
        async () => {
          for await (const e of stalling(3).streamText({
            task: 'cover_letter',
            system: 's',
            prompt: 'p',
            inputs: INPUTS,
            maxOutputTokens: 10,
          })) {
            if (e.type === 'delta') seen.push(e.text);
          }
        },
        { name: 'LlmError', kind: 'timeout', message: /stopped sending \(nothing for 0\.2 s/ },
      );
      assert.deepEqual(seen, ['half ']);
      assert.equal(fake.requests.length, 1, 'text already streamed is not started over');
    });

    test('when a JSON answer is asked for, then it is parsed and validated (structured output where the provider has it)', async () => {
      const schema = z.object({ score: z.number(), keywords: z.array(z.string()) });
      fresh([
        {
          kind: 'text',
          chunks: ['Here you go:\n```json\n{"score": 80, "keywords": ["sql",],}\n```'],
        },
      ]);
      const r = await provider().generateJson({
        system: 's',
        prompt: 'p',
        schema,
        schemaName: 'match',
        maxOutputTokens: 100,
      });
      assert.deepEqual(r.value, { score: 80, keywords: ['sql'] });
      if (kind !== 'anthropic') {
        assert.equal(fake.requests[0]!.body.response_format.type, 'json_schema');
      }
      fresh([{ kind: 'text', chunks: ['I cannot do JSON, sorry.'] }]);
      await assert.rejects(
        provider().generateJson({
          system: 's',
          prompt: 'p',
          schema,
          schemaName: 'm',
          maxOutputTokens: 9,
        }),
        (err: LlmError) => {
          assert.equal(err.kind, 'malformed');
          assert.match(err.message, /did not produce the JSON Job Forge needs/);
          return true;
        },
      );
    });
  });
}

describe('an OpenAI-compatible server without json_schema support', () => {
  test('when it refuses response_format, then the request is repeated without it and the answer parsed', async () => {
    const fake = await startFakeOpenAi({ noJsonSchema: true });
    try {
      fake.script([{ kind: 'text', chunks: ['{"ok": true}'] }]);
      const p = createProvider(
        { kind: 'openai-compatible', model: 'm', baseUrl: fake.url, apiKey: undefined },
        { timeoutMs: 1000, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
      );
      const r = await p.generateJson({
        system: 's',
        prompt: 'p',
        schema: z.object({ ok: z.boolean() }),
        schemaName: 'ok',
        maxOutputTokens: 10,
      });
      assert.deepEqual(r.value, { ok: true });
      assert.deepEqual(
        fake.requests.map((q) => q.body.response_format?.type),
        ['json_schema', undefined],
      );
    } finally {
      await fake.close();
    }
  });
});
