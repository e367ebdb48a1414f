import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  FAKE_BRIEF,
  jsonStep,
  startFakeOpenAi,
  type FakeServer,
} from '../../../test/fakes/llm-servers.ts';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { readEvents } from '../../../test/helpers/sse.ts';

const f = FIXTURES[0]!;

async function waitForJob(s: TestServer, u: TestUser, id: string) {
  for (let i = 0; i < 400; i++) {
    const res = await s.request('GET', `/api/v1/generation-jobs/${id}`, { token: u.token });
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

for (const kind of dbKinds()) {
  describe(`daily token budget and cost estimate (${kind})`, () => {
    let s: TestServer;
    let fake: FakeServer;
    before(async () => {
      fake = await startFakeOpenAi({ apiKey: 'sk-server' });
      // The server's own provider: OpenAI's gpt-4o-mini at its list price ($0.15 / $0.60).
      s = await startTestServer(kind, {
        JOBFORGE_LLM_PROVIDER: 'openai',
        JOBFORGE_LLM_MODEL: 'gpt-4o-mini',
        JOBFORGE_LLM_BASE_URL: fake.url,
        OPENAI_API_KEY: 'sk-server',
        JOBFORGE_DAILY_TOKEN_BUDGET: '100',
        JOBFORGE_WORKER_CONCURRENCY: '1',
      });
    });
    after(async () => {
      await s.stop();
      await fake.close();
    });

    const newApplication = async (u: TestUser) => {
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: f.posting },
      });
      assert.equal(app.status, 201, app.text);
      return app.body.id as string;
    };
    const generate = (u: TestUser, appId: string, key: string) =>
      s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['research_report'] },
        headers: { 'idempotency-key': key },
      });

    test('when a user has used the day’s budget, then jobs queued before fail at start, new ones get 429 with Retry-After, and the status shows usage and cost', async () => {
      const u = await s.register();
      const other = await s.register();
      for (const user of [u, other]) {
        await s.request('POST', '/api/v1/resumes', {
          token: user.token,
          body: { name: 'Main', content: f.resume },
        });
      }
      const appId = await newApplication(u);
      fake.requests.length = 0;
      fake.script([
        {
          kind: 'text',
          chunks: Array.from({ length: 20 }, (_, i) => `part ${i} `),
          delayMs: 50,
          usage: { input: 60, output: 30 },
        },
      ]);
      fake.scriptJson([jsonStep(FAKE_BRIEF, { usage: { input: 20, output: 10 } })]);
      const a = await generate(u, appId, 'job-a');
      assert.equal(a.status, 202, a.text);
      // While A streams it has recorded no tokens yet: B is accepted and waits in the queue.
      const started = await readEvents(`${s.url}/api/v1/generation-jobs/${a.body.id}/events`, {
        token: u.token,
        stopAfter: 3,
      });
      assert.equal(started.events.at(-1)!.event, 'delta');
      const b = await generate(u, appId, 'job-b');
      assert.equal(b.status, 202, b.text);

      const doneA = await waitForJob(s, u, a.body.id);
      assert.equal(doneA.status, 'succeeded', doneA.error);
      // The report (60 + 30) and the posting brief asked for beside it (20 + 10).
      assert.deepEqual(doneA.usage, {
        input_tokens: 80,
        output_tokens: 40,
        estimated_cost_usd: 0.000036, // (80 × 0.15 + 40 × 0.60) / 1e6
      });
      const doneB = await waitForJob(s, u, b.body.id);
      assert.equal(doneB.status, 'failed');
      assert.match(doneB.error, /daily AI budget is used up: 120 of 100 tokens/);
      assert.equal(fake.requests.length, 2, 'B never reached the provider (A: report and brief)');

      const c = await generate(u, appId, 'job-c');
      assert.equal(c.status, 429, c.text);
      assert.equal(c.body.error.code, 'token_budget_exceeded');
      assert.match(
        c.body.error.message,
        /120 of 100 tokens today \(UTC\)\. It resets at midnight UTC \(\d{4}-\d\d-\d\dT00:00:00\.000Z, in /,
      );
      const retryAfter = Number(c.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 86_400);

      const replay = await generate(u, appId, 'job-a');
      assert.equal(replay.status, 202, 'the same request again still answers its job');
      assert.equal(replay.body.id, a.body.id);

      const status = await s.request('GET', '/api/v1/ai/status', { token: u.token });
      assert.equal(status.status, 200, status.text);
      assert.deepEqual(
        {
          usage: status.body.usage_today,
          budget: status.body.daily_token_budget,
          remaining: status.body.budget_remaining,
        },
        {
          usage: {
            input_tokens: 80,
            output_tokens: 40,
            total_tokens: 120,
            estimated_cost_usd: 0.000036,
          },
          budget: 100,
          remaining: 0,
        },
      );
      assert.match(status.body.budget_resets_at, /T00:00:00(\.000)?Z$/);

      // The budget is per user.
      const theirs = await s.request('GET', '/api/v1/ai/status', { token: other.token });
      assert.equal(theirs.body.usage_today.total_tokens, 0);
      assert.equal(theirs.body.budget_remaining, 100);
      fake.script([{ kind: 'text', chunks: ['# Report'], usage: { input: 5, output: 5 } }]);
      const mine = await generate(other, await newApplication(other), 'other-a');
      assert.equal(mine.status, 202, mine.text);
      assert.equal((await waitForJob(s, other, mine.body.id)).status, 'succeeded');
    });
  });
}
