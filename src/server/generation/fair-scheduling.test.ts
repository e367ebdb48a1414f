import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeOpenAi, type FakeServer } from '../../../test/fakes/llm-servers.ts';
import { addDraftable, FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';

const f = FIXTURES[0]!;
const KEY = 'sk-user-secret-key-1234';

/** Each of the slow user's jobs streams for about a second. */
const SLOW = {
  kind: 'text' as const,
  chunks: Array.from({ length: 10 }, (_, i) => `part ${i} `),
  delayMs: 100,
};

async function waitForJob(s: TestServer, u: TestUser, id: string) {
  for (let i = 0; i < 2400; i++) {
    const res = await s.request('GET', `/api/v1/generation-jobs/${id}`, { token: u.token });
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

const time = (t: string) => new Date(t).getTime();

for (const kind of dbKinds()) {
  for (const concurrency of [2, 1]) {
    describe(`fair scheduling of drafting jobs, ${concurrency} worker slot(s) (${kind})`, () => {
      let s: TestServer;
      let slow: FakeServer;
      before(async () => {
        slow = await startFakeOpenAi({ apiKey: KEY, fallback: SLOW });
        s = await startTestServer(
          kind,
          { JOBFORGE_WORKER_CONCURRENCY: String(concurrency) },
          {
            outbound: {
              allowedTargets: [{ address: '127.0.0.1', port: Number(new URL(slow.url).port) }],
            },
          },
        );
      });
      after(async () => {
        await s.stop();
        await slow.close();
      });

      const userWithApp = async (ownServer: boolean) => {
        const u = await s.register();
        if (ownServer) {
          const saved = await s.request('PUT', '/api/v1/users/me/ai-settings', {
            token: u.token,
            body: { provider: 'openai-compatible', model: 'm1', base_url: slow.url, api_key: KEY },
          });
          assert.equal(saved.status, 200, saved.text);
        }
        const appId = await addDraftable(s, u.token, f);
        return { u, appId };
      };
      const generate = async (u: TestUser, appId: string) => {
        const res = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
          token: u.token,
          body: { document_types: ['research_report'] },
        });
        assert.equal(res.status, 202, res.text);
        return res.body.id as string;
      };

      test('when user A queues slow jobs and then user B an offline draft, then B’s draft is claimed before A’s second job, and A never runs two at once', async () => {
        const a = await userWithApp(true);
        const b = await userWithApp(false);
        const aJobs: string[] = [];
        for (let i = 0; i < 3; i++) aJobs.push(await generate(a.u, a.appId));
        // B asks once A's first job is running (A has waited longer, with jobs older than B's).
        for (let i = 0; i < 400; i++) {
          const j = await s.request('GET', `/api/v1/generation-jobs/${aJobs[0]}`, {
            token: a.u.token,
          });
          if (j.body.status === 'running') break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const bJob = await generate(b.u, b.appId);
        const doneB = await waitForJob(s, b.u, bJob);
        const doneA = [];
        for (const id of aJobs) doneA.push(await waitForJob(s, a.u, id));
        assert.equal(doneB.status, 'succeeded', doneB.error);
        for (const j of doneA) assert.equal(j.status, 'succeeded', j.error);
        assert.ok(
          time(doneB.started_at) < time(doneA[1].started_at),
          `B started ${doneB.started_at}, A's second ${doneA[1].started_at}`,
        );
        // At most one of A's jobs at a time (JOBFORGE_MAX_RUNNING_JOBS_PER_USER=1).
        for (let i = 1; i < doneA.length; i++) {
          assert.ok(
            time(doneA[i].started_at) >= time(doneA[i - 1].finished_at),
            `A's job ${i} started before job ${i - 1} finished`,
          );
        }
      });
    });
  }

  describe(`the per-user job queue cap (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      // No worker: queued jobs stay queued, so the cap is what the test sees.
      s = await startTestServer(kind, { JOBFORGE_WORKER_ENABLED: 'false' });
    });
    after(() => s.stop());

    const setup = async () => {
      const u = await s.register();
      const appId = await addDraftable(s, u.token, f);
      return { u, appId };
    };
    const generate = (u: TestUser, appId: string, key?: string) =>
      s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: {},
        headers: key ? { 'idempotency-key': key } : {},
      });

    test('when a user has 10 jobs queued, then the 11th answers 429 too_many_jobs with Retry-After; a repeated key still answers its job; another user is not affected', async () => {
      const { u, appId } = await setup();
      for (let i = 0; i < 10; i++) {
        const res = await generate(u, appId, `k${i}`);
        assert.equal(res.status, 202, res.text);
      }
      const eleventh = await generate(u, appId, 'k10');
      assert.equal(eleventh.status, 429, eleventh.text);
      assert.equal(eleventh.body.error.code, 'too_many_jobs');
      assert.match(eleventh.body.error.message, /You have 10 drafting jobs queued or running/);
      const retryAfter = Number(eleventh.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, String(retryAfter));
      const replay = await generate(u, appId, 'k3');
      assert.equal(replay.status, 202, 'an accepted request repeated still answers its job');

      // Cancelling one makes room for one.
      const list = await s.request('GET', `/api/v1/applications/${appId}/generation-jobs?limit=1`, {
        token: u.token,
      });
      const cancel = await s.request(
        'POST',
        `/api/v1/generation-jobs/${list.body.items[0].id}/cancel`,
        {
          token: u.token,
        },
      );
      assert.equal(cancel.body.status, 'cancelled');
      assert.equal((await generate(u, appId, 'k11')).status, 202);
      assert.equal((await generate(u, appId, 'k12')).status, 429);

      const other = await setup();
      assert.equal((await generate(other.u, other.appId)).status, 202);
    });

    test('when a user sends 20 generate requests at once, then exactly 10 are queued and 10 answer 429 too_many_jobs', async () => {
      const { u, appId } = await setup();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => generate(u, appId, `parallel-${i}`)),
      );
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(
        statuses,
        [...Array(10).fill(202), ...Array(10).fill(429)],
        answers.map((a) => a.text).join('\n'),
      );
      for (const a of answers.filter((x) => x.status === 429))
        assert.equal(a.body.error.code, 'too_many_jobs');
      const active = await s.request(
        'GET',
        `/api/v1/applications/${appId}/generation-jobs?active=true&limit=50`,
        { token: u.token },
      );
      assert.equal(active.body.items.length, 10);
    });
  });
}
