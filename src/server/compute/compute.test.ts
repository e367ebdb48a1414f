import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { readEvents } from '../../../test/helpers/sse.ts';

/** The largest resume the API accepts, as lines a PDF has to lay out (seconds of CPU). */
const LONG_RESUME = (() => {
  const lines = ['# Zoë Ångström', ''];
  for (let i = 0; lines.join('\n').length < 199_000; i++)
    lines.push(`## Role ${i}`, '', `- Ran the payments ledger for team ${i}, in TypeScript.`, '');
  return lines.join('\n').slice(0, 199_900);
})();

const createResume = async (s: TestServer, u: TestUser, content: string) => {
  const res = await s.request('POST', '/api/v1/resumes', {
    token: u.token,
    body: { name: 'Main', content },
  });
  assert.equal(res.status, 201, res.text);
  return res.body.id as string;
};

/** The value of one series in the Prometheus text, or undefined when it is absent. */
const series = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

for (const kind of dbKinds()) {
  describe(`the compute pool in the server (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    test('when the server starts, then the pool has no thread; heavy work starts one, and /metrics shows the pool and the event loop', async () => {
      const idle = await s.request('GET', '/metrics');
      assert.equal(idle.status, 200);
      assert.equal(series(idle.text, 'jobforge_compute_threads'), 0);
      assert.equal(series(idle.text, 'jobforge_compute_queue_length'), 0);
      assert.ok((series(idle.text, 'jobforge_compute_threads_max') ?? 0) >= 1);
      assert.ok(series(idle.text, 'jobforge_nodejs_eventloop_lag_p99_seconds') !== undefined);
      assert.ok(series(idle.text, 'jobforge_compute_utilization') !== undefined);

      const u = await s.register();
      const id = await createResume(s, u, FIXTURES[0]!.resume);
      const pdf = await s.request('GET', `/api/v1/resumes/${id}/export?format=pdf`, {
        token: u.token,
      });
      assert.equal(pdf.status, 200, pdf.text);
      const busy = await s.request('GET', '/metrics');
      assert.equal(series(busy.text, 'jobforge_compute_threads'), 1, 'one thread for one task');
      assert.equal(series(busy.text, 'jobforge_compute_tasks_aborted'), 0);
    });

    test('while a long PDF renders, then /healthz keeps answering', async () => {
      const u = await s.register();
      const id = await createResume(s, u, LONG_RESUME);
      let rendering = true;
      let answeredDuringTask = 0;
      const healthz = (async () => {
        while (rendering) {
          const res = await fetch(`${s.url}/healthz`);
          assert.equal(res.status, 200);
          await res.text();
          // The server is this process: the pool says whether a task was running meanwhile.
          if (s.server.app.compute.stats().running > 0) answeredDuringTask += 1;
        }
      })();
      const pdf = await s.request('GET', `/api/v1/resumes/${id}/export?format=pdf`, {
        token: u.token,
      });
      rendering = false;
      await healthz;
      assert.equal(pdf.status, 200, pdf.text);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.ok(answeredDuringTask > 0, 'answered while the render ran in its thread');
    });
  });

  describe(`a server whose compute tasks may run 1 ms (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind, { JOBFORGE_COMPUTE_TIMEOUT_MS: '1' });
    });
    after(() => s.stop());

    test('when a request’s task runs past the deadline, then 422 input_too_complex says so in words, and the server goes on', async () => {
      const u = await s.register();
      const id = await createResume(s, u, LONG_RESUME);
      const pdf = await s.request('GET', `/api/v1/resumes/${id}/export?format=pdf`, {
        token: u.token,
      });
      assert.equal(pdf.status, 422, pdf.text);
      assert.equal(pdf.body.error.code, 'input_too_complex');
      assert.match(
        pdf.body.error.message,
        /^Rendering the PDF took longer than the 1 ms this server allows for one task, so the input is too complex/,
      );
      const metrics = await s.request('GET', '/metrics');
      assert.ok((series(metrics.text, 'jobforge_compute_tasks_aborted') ?? 0) >= 1);
      // Markdown needs no task: the same resume still exports.
      const md = await s.request('GET', `/api/v1/resumes/${id}/export?format=md`, {
        token: u.token,
      });
      assert.equal(md.status, 200);
    });

    test('when a drafting job’s offline task runs past the deadline, then the job ends failed with that message', async () => {
      const u = await s.register();
      const f = FIXTURES[0]!;
      await createResume(s, u, LONG_RESUME);
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: {
          company_name: f.company,
          role_title: f.role,
          job_description: f.posting,
          location: f.location,
        },
      });
      assert.equal(app.status, 201, app.text);
      const job = await s.request('POST', `/api/v1/applications/${app.body.id}/generate`, {
        token: u.token,
        body: {},
      });
      assert.equal(job.status, 202, job.text);
      const stream = await readEvents(`${s.url}/api/v1/generation-jobs/${job.body.id}/events`, {
        token: u.token,
      });
      assert.deepEqual(stream.events.at(-1)!.data, { status: 'failed' });
      const error = stream.events.find((e) => e.event === 'error');
      assert.match(
        String(error?.data.message),
        /^Reading the posting against the resume took longer than the 1 ms this server allows for one task/,
      );
      const done = await s.request('GET', `/api/v1/generation-jobs/${job.body.id}`, {
        token: u.token,
      });
      assert.equal(done.body.status, 'failed');
      assert.match(done.body.error, /too complex to handle here/);
    });
  });
}
