import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  FAKE_BRIEF,
  jsonStep,
  startFakeAnthropic,
  startFakeOpenAi,
  type FakeServer,
  type RecordedRequest,
  type Step,
} from '../../../test/fakes/llm-servers.ts';
import { addDraftable, FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { readEvents } from '../../../test/helpers/sse.ts';

const f = FIXTURES[0]!;
const KEY = 'sk-user-secret-key-1234';
const MB40 = 40 * 1024 * 1024;
const portOf = (url: string) => Number(new URL(url).port);

/**
 * Model servers that misbehave on purpose (decision 063), through the real SDKs and the bounded
 * fetch: every job ends, failed with a message a person can act on, and no answer is read past
 * its limit (the fake server counts what it managed to write before the client hung up).
 */
const ENV = {
  JOBFORGE_JOB_TIMEOUT_SECONDS: '3',
  // The drip below sends every 250 ms: never idle this long, so only the deadline ends it.
  JOBFORGE_LLM_IDLE_TIMEOUT_MS: '1000',
  JOBFORGE_LLM_MAX_OUTPUT_TOKENS: '256',
  JOBFORGE_LLM_RETRY_BASE_MS: '1',
  JOBFORGE_LLM_RETRY_MAX_MS: '20',
  JOBFORGE_LLM_MAX_ATTEMPTS: '2',
};

async function waitForJob(s: TestServer, u: TestUser, id: string) {
  for (let i = 0; i < 1200; i++) {
    const res = await s.request('GET', `/api/v1/generation-jobs/${id}`, { token: u.token });
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

/** The client's hang-up reaches the fake server a moment after the job has settled. */
async function hungUp(r: RecordedRequest | undefined): Promise<boolean> {
  for (let i = 0; i < 400 && r && !r.clientClosed; i++)
    await new Promise((ok) => setTimeout(ok, 10));
  return r?.clientClosed === true;
}

for (const kind of dbKinds()) {
  describe(`bounded model replies through the SDKs, a user's own server (${kind})`, () => {
    let s: TestServer;
    let openai: FakeServer;
    let anthropic: FakeServer;
    before(async () => {
      openai = await startFakeOpenAi({ apiKey: KEY });
      anthropic = await startFakeAnthropic({ apiKey: KEY });
      s = await startTestServer(kind, ENV, {
        outbound: {
          allowedTargets: [openai, anthropic].map((fake) => ({
            address: '127.0.0.1',
            port: portOf(fake.url),
          })),
        },
      });
    });
    after(async () => {
      await s.stop();
      await Promise.all([openai.close(), anthropic.close()]);
    });

    /** A user drafting a research report with the fake as their own provider. */
    const draft = async (fake: FakeServer, step: Step, json?: Step) => {
      const u = await s.register();
      const saved = await s.request('PUT', '/api/v1/users/me/ai-settings', {
        token: u.token,
        body:
          fake === anthropic
            ? { provider: 'anthropic', model: 'claude-test', base_url: fake.url, api_key: KEY }
            : { provider: 'openai-compatible', model: 'm1', base_url: fake.url, api_key: KEY },
      });
      assert.equal(saved.status, 200, saved.text);
      const appId = await addDraftable(s, u.token, f);
      fake.requests.length = 0;
      fake.script([step]);
      fake.scriptJson([json ?? jsonStep(FAKE_BRIEF)]);
      const job = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['research_report'] },
      });
      assert.equal(job.status, 202, job.text);
      const done = await waitForJob(s, u, job.body.id);
      const streamed = fake.requests.find((r) => r.body?.stream);
      return { u, appId, job: done, streamed, fake };
    };

    for (const protocol of ['openai', 'anthropic'] as const) {
      const fakeOf = () => (protocol === 'openai' ? openai : anthropic);

      test(`when a ${protocol} server streams without end, then the document is stopped at the output cap and the job fails saying so`, async () => {
        const { job, streamed, u } = await draft(fakeOf(), { kind: 'flood' });
        assert.equal(job.status, 'failed');
        assert.match(
          job.error,
          /kept writing the research report past the output limit of 256 tokens \(JOBFORGE_LLM_MAX_OUTPUT_TOKENS\)/,
        );
        assert.equal(job.progress.research_report, 'failed');
        // Counted as it streamed: the estimate of what was read (2 × 256 tokens at most, plus
        // the last batch), though the server never sent a usage.
        assert.ok(job.usage.output_tokens >= 512, String(job.usage.output_tokens));
        assert.ok(await hungUp(streamed), 'the client hung up; the server never ended');
        const events = await readEvents(`${s.url}/api/v1/generation-jobs/${job.id}/events`, {
          token: u.token,
        });
        assert.deepEqual(events.events.at(-1)?.data, { status: 'failed' });
      });

      test(`when a ${protocol} server drips a few characters every 250 ms (never idle), then the job deadline ends it, failed with the reason`, async () => {
        const { job, streamed } = await draft(fakeOf(), { kind: 'drip', everyMs: 250 });
        assert.equal(job.status, 'failed');
        assert.match(job.error, /took longer than this server allows for one job \(3 s\)/);
        assert.ok(await hungUp(streamed));
      });

      test(`when a ${protocol} server answers one 40 MB event, then reading stops at the event cap and the job fails saying the answer was too large`, async () => {
        const { job, streamed } = await draft(fakeOf(), { kind: 'giant', bytes: MB40 });
        assert.equal(job.status, 'failed');
        assert.match(
          job.error,
          /sent more than Job Forge accepts in one answer \(one event of its stream was larger than 256 KiB/,
        );
        assert.ok(await hungUp(streamed));
        assert.ok(streamed!.bytesWritten! < MB40, `${streamed!.bytesWritten} bytes written`);
      });

      test(`when a ${protocol} server answers the posting brief with a 40 MB JSON body, then reading stops at the byte cap and the report goes on without the brief`, async () => {
        const fake = fakeOf();
        const { job, u } = await draft(
          fake,
          { kind: 'text', chunks: ['# Report\n', 'body'] },
          { kind: 'giant', bytes: MB40 },
        );
        assert.equal(job.status, 'succeeded', job.error);
        const briefRequest = fake.requests.find((r) => !r.body?.stream);
        assert.ok(await hungUp(briefRequest));
        assert.ok(
          briefRequest!.bytesWritten! < MB40,
          `${briefRequest!.bytesWritten} bytes written`,
        );
        const events = await readEvents(`${s.url}/api/v1/generation-jobs/${job.id}/events`, {
          token: u.token,
        });
        const warning = events.events.find((e) => e.event === 'progress' && e.data.warning);
        assert.match(warning?.data.warning ?? '', /the answer was larger than 4 MiB/);
      });

      test(`when a ${protocol} server stalls mid-stream, then the idle timeout fails the job with the reason`, async () => {
        const { job, streamed } = await draft(fakeOf(), { kind: 'stall', chunks: ['# Rep'] });
        assert.equal(job.status, 'failed');
        assert.match(job.error, /stopped sending \(nothing for 1 s/);
        assert.ok(streamed);
      });
    }
  });

  describe(`bounded model replies, the server's own provider (${kind})`, () => {
    let s: TestServer;
    let fake: FakeServer;
    before(async () => {
      fake = await startFakeOpenAi({ apiKey: 'sk-server' });
      s = await startTestServer(kind, {
        ...ENV,
        JOBFORGE_LLM_PROVIDER: 'openai-compatible',
        JOBFORGE_LLM_MODEL: 'm1',
        JOBFORGE_LLM_BASE_URL: fake.url,
        OPENAI_API_KEY: 'sk-server',
        JOBFORGE_DAILY_TOKEN_BUDGET: '100',
      });
    });
    after(async () => {
      await s.stop();
      await fake.close();
    });

    const setup = async () => {
      const u = await s.register();
      const appId = await addDraftable(s, u.token, f);
      return { u, appId };
    };

    test('when a job streams past the daily token budget, then it is stopped while streaming (tokens counted as they arrive), failed with the budget’s message', async () => {
      const { u, appId } = await setup();
      // Fast but not a flood: the budget, checked every 64 streamed tokens, is what ends it.
      fake.script([{ kind: 'drip', everyMs: 5, text: 'word word ' }]);
      fake.scriptJson([jsonStep(FAKE_BRIEF, { usage: { input: 0, output: 0 } })]);
      const res = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['research_report'] },
      });
      assert.equal(res.status, 202, res.text);
      const job = await waitForJob(s, u, res.body.id);
      assert.equal(job.status, 'failed');
      assert.match(job.error, /daily AI budget is used up: \d+ of 100 tokens/);
      // Stopped by the budget, well before the output cap (512).
      assert.ok(
        job.usage.output_tokens >= 100 && job.usage.output_tokens < 512,
        String(job.usage.output_tokens),
      );
      const next = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['research_report'] },
      });
      assert.equal(next.status, 429);
      assert.equal(next.body.error.code, 'token_budget_exceeded');
    });

    test('when the operator’s own model server answers one 40 MB event, then it is cut off at the cap too (the server’s settings get a bounded fetch)', async () => {
      const { u, appId } = await setup();
      fake.script([{ kind: 'giant', bytes: MB40 }]);
      const res = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['research_report'] },
      });
      const job = await waitForJob(s, u, res.body.id);
      assert.equal(job.status, 'failed');
      assert.match(job.error, /one event of its stream was larger than 256 KiB/);
      const streamed = fake.requests.find((r) => r.body?.stream);
      assert.ok(await hungUp(streamed));
      assert.ok(streamed!.bytesWritten! < MB40);
    });
  });
}
