import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeOpenAi, type FakeServer } from '../../../test/fakes/llm-servers.ts';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { createTestDatabase, dbKinds, type TestDatabase } from '../../../test/helpers/databases.ts';
import {
  databaseEnv,
  spawnJobforge,
  type JobforgeProcess,
} from '../../../test/helpers/jobforge-process.ts';
import { readEvents, type SseEvent } from '../../../test/helpers/sse.ts';

const f = FIXTURES[0]!;
const TYPES = ['research_report', 'optimized_resume', 'cover_letter'];
/** Every answer of the fake model: 40 chunks, 50 ms apart, so a kill lands mid-stream. */
const CHUNKS = Array.from({ length: 40 }, (_, i) => `word${i} `);
const FULL_TEXT = CHUNKS.join('');

async function serve(env: Record<string, string>): Promise<{ p: JobforgeProcess; url: string }> {
  const p = spawnJobforge(['serve'], env);
  const url = (
    await p.waitFor(/Job Forge is running at (http:\/\/[^\s)]+)/, { timeoutMs: 60_000 })
  )[1]!;
  return { p, url };
}

async function api(url: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

for (const kind of dbKinds()) {
  describe(`a worker killed mid-stream (a real jobforge serve, SIGKILL) on ${kind}`, () => {
    let db: TestDatabase;
    let fake: FakeServer;
    const children: JobforgeProcess[] = [];
    before(async () => {
      db = await createTestDatabase(kind);
      fake = await startFakeOpenAi({ fallback: { kind: 'text', chunks: CHUNKS, delayMs: 50 } });
    });
    after(async () => {
      for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      await fake.close();
      await db.drop();
    });

    test('when the process dies while the report streams, then after a restart the job completes once: one version per document, none partial, and the event log reads on with a restart marker', async () => {
      const env = {
        ...databaseEnv(db.config),
        JOBFORGE_LLM_PROVIDER: 'openai-compatible',
        JOBFORGE_LLM_BASE_URL: fake.url,
        JOBFORGE_LLM_MODEL: 'slow-model',
        // A dead worker's job is taken over when its lease expires: keep that short.
        JOBFORGE_JOB_LEASE_SECONDS: '1',
        JOBFORGE_WORKER_POLL_MS: '100',
      };
      const first = await serve(env);
      children.push(first.p);
      const reg = await api(first.url, 'POST', '/auth/register', undefined, {
        email: `crash-${kind}@example.com`,
        password: 'correct horse battery',
        first_name: 'Crash',
        last_name: 'Test',
        client: 'api',
      });
      assert.equal(reg.status, 201, reg.text);
      const token = reg.body.access_token as string;
      await api(first.url, 'POST', '/resumes', token, { name: 'Main', content: f.resume });
      const app = await api(first.url, 'POST', '/applications', token, {
        company_name: f.company,
        role_title: f.role,
        job_description: f.posting,
      });
      const job = await api(first.url, 'POST', `/applications/${app.body.id}/generate`, token, {});
      assert.equal(job.status, 202, job.text);
      const eventsPath = `/api/v1/generation-jobs/${job.body.id}/events`;

      // Follow the job until the first text arrives, then kill the process without warning.
      const before = await readEvents(first.url + eventsPath, { token, stopAfter: 3 });
      assert.equal(before.events.at(-1)!.event, 'delta', JSON.stringify(before.events));
      first.p.child.kill('SIGKILL');
      assert.equal((await first.p.exited).signal, 'SIGKILL');

      const second = await serve(env);
      children.push(second.p);
      const lastSeen = before.events.at(-1)!.id;
      const rest = await readEvents(second.url + eventsPath, { token, lastEventId: lastSeen });
      const all: SseEvent[] = [...before.events, ...rest.events];
      const ids = all.map((e) => e.id);
      assert.deepEqual(
        ids,
        ids.map((_, i) => i + 1),
        'one gap-free sequence across both processes',
      );
      assert.deepEqual(rest.events.at(-1)!.data, { status: 'succeeded' }, second.p.output());
      const restart = all.findIndex(
        (e) => e.event === 'progress' && e.data.restarted === true && e.data.attempt === 2,
      );
      assert.ok(restart > 0, 'the restart is announced');
      // After the marker each document streams again from empty: what follows is the whole text.
      for (const type of TYPES) {
        const streamed = all
          .slice(restart)
          .filter((e) => e.event === 'delta' && e.data.document_type === type)
          .map((e) => e.data.text as string)
          .join('');
        assert.equal(streamed, FULL_TEXT, `${type} streamed whole after the restart`);
      }

      for (const type of TYPES) {
        const versions = await api(
          second.url,
          'GET',
          `/applications/${app.body.id}/documents/${type}/versions`,
          token,
        );
        assert.equal(versions.status, 200, versions.text);
        assert.deepEqual(
          versions.body.items.map((v: { version: number; content: string }) => [
            v.version,
            v.content,
          ]),
          [[1, FULL_TEXT]],
          `${type}: exactly one version, and it is complete`,
        );
      }
      const final = await api(second.url, 'GET', `/generation-jobs/${job.body.id}`, token);
      assert.equal(final.body.status, 'succeeded');
      assert.equal(final.body.attempts, 2);
      assert.equal(final.body.error, null);

      second.p.child.kill('SIGTERM');
      assert.equal((await second.p.exited).code, 0, second.p.output());
    });
  });
}
