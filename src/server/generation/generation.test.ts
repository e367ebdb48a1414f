import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { deltasByType, readEvents } from '../../../test/helpers/sse.ts';

const TYPES = ['research_report', 'optimized_resume', 'cover_letter'];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const kind of dbKinds()) {
  describe(`generation jobs with the offline engine (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const f = FIXTURES[0]!;
    const setup = async (u?: TestUser) => {
      u ??= await s.register();
      const resume = await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content: f.resume },
      });
      assert.equal(resume.status, 201, resume.text);
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
      return { u, appId: app.body.id as string, resumeId: resume.body.id as string };
    };
    const generate = (token: string, appId: string, body?: unknown, key?: string) =>
      s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token,
        body: body ?? {},
        headers: key ? { 'idempotency-key': key } : {},
      });
    const eventsUrl = (id: string) => `${s.url}/api/v1/generation-jobs/${id}/events`;

    test('when documents are generated, then the SSE stream tells the whole story and three documents are saved as generated versions', async () => {
      const { u, appId, resumeId } = await setup();
      const res = await generate(u.token, appId);
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.status, 'queued');
      assert.deepEqual(res.body.document_types, TYPES);
      assert.equal(res.body.resume_id, resumeId);
      assert.deepEqual([res.body.provider, res.body.model], ['offline', 'jobforge-offline-1']);
      const stream = await readEvents(eventsUrl(res.body.id), { token: u.token });
      assert.equal(stream.status, 200);
      assert.match(stream.contentType ?? '', /text\/event-stream/);
      const ids = stream.events.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'ids increase',
      );
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(stream.events.at(-1)!.event, 'done');
      assert.deepEqual(stream.events.at(-1)!.data, { status: 'succeeded' });
      const saved = stream.events
        .filter((e) => e.event === 'document')
        .map((e) => e.data.document_type);
      assert.equal(saved[0], 'research_report', 'the report comes first');
      assert.deepEqual([...saved].sort(), [...TYPES].sort());
      const streamed = deltasByType(stream.events);
      // The offline engine answers the posting brief too (no warning), but its report already
      // lists the same requirements and keywords, so the brief's section is not appended.
      assert.match(streamed.research_report ?? '', /\n## Must-have requirements\n/);
      assert.doesNotMatch(streamed.research_report ?? '', /From the posting, point by point/);
      assert.ok(!stream.events.some((e) => e.event === 'progress' && e.data.warning));
      for (const type of TYPES) {
        const doc = await s.request('GET', `/api/v1/applications/${appId}/documents/${type}`, {
          token: u.token,
        });
        assert.equal(doc.status, 200);
        assert.equal(doc.body.content, streamed[type], `${type}: what streamed is what was saved`);
        const versions = await s.request(
          'GET',
          `/api/v1/applications/${appId}/documents/${type}/versions`,
          { token: u.token },
        );
        assert.deepEqual(
          versions.body.items.map((v: any) => [v.version, v.source]),
          [[1, 'generated']],
        );
      }
      const job = await s.request('GET', `/api/v1/generation-jobs/${res.body.id}`, {
        token: u.token,
      });
      assert.equal(job.body.status, 'succeeded');
      assert.deepEqual(job.body.progress, {
        research_report: 'saved',
        optimized_resume: 'saved',
        cover_letter: 'saved',
      });
      assert.ok(job.body.usage.output_tokens > 0 && job.body.usage.input_tokens > 0);
      assert.equal(job.body.error, null);
      assert.equal(job.body.attempts, 1);
      assert.ok(job.body.finished_at);
    });

    test('when a client reconnects with Last-Event-ID or connects after the end, then it misses nothing and gets done', async () => {
      const { u, appId } = await setup();
      const res = await generate(u.token, appId, { document_types: ['cover_letter'] });
      const firstPart = await readEvents(eventsUrl(res.body.id), { token: u.token, stopAfter: 3 });
      assert.equal(firstPart.events.length, 3);
      const rest = await readEvents(eventsUrl(res.body.id), {
        token: u.token,
        lastEventId: firstPart.events.at(-1)!.id,
      });
      const whole = await readEvents(eventsUrl(res.body.id), { token: u.token });
      assert.deepEqual([...firstPart.events, ...rest.events], whole.events);
      assert.equal(whole.events.at(-1)!.event, 'done');
      const afterDone = await readEvents(eventsUrl(res.body.id), {
        token: u.token,
        lastEventId: whole.events.at(-1)!.id,
      });
      assert.deepEqual(afterDone.events, []);
      // Only the cover letter was asked for: the report was drafted as its input but not saved.
      const docs = await s.request('GET', `/api/v1/applications/${appId}/documents`, {
        token: u.token,
      });
      assert.deepEqual(
        docs.body.items.map((d: any) => d.document_type),
        ['cover_letter'],
      );
    });

    test('when the same Idempotency-Key is sent 10 times at once, then one job, and a different request with it is 409', async () => {
      const { u, appId } = await setup();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => generate(u.token, appId, {}, 'key-123')),
      );
      assert.deepEqual(new Set(results.map((r) => r.status)), new Set([202]));
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
      const count = await s.server.db.asOwner((tx) =>
        tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM generation_jobs WHERE user_id = $1',
          [u.id],
        ),
      );
      assert.equal(count.rows[0]!.n, 1);
      const other = await generate(u.token, appId, { document_types: ['cover_letter'] }, 'key-123');
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, 'idempotency_key_reused');
      await readEvents(eventsUrl(results[0]!.body.id), { token: u.token });
    });

    test('when the user edited a document and generates again, then their edit stays as a version and the new draft is the next one', async () => {
      const { u, appId } = await setup();
      const first = await generate(u.token, appId, { document_types: ['cover_letter'] });
      await readEvents(eventsUrl(first.body.id), { token: u.token });
      const path = `/api/v1/applications/${appId}/documents/cover_letter`;
      await s.request('PUT', path, { token: u.token, body: { content: 'My own edit' } });
      const second = await generate(u.token, appId, { document_types: ['cover_letter'] });
      const stream = await readEvents(eventsUrl(second.body.id), { token: u.token });
      assert.equal(stream.events.at(-1)!.data.status, 'succeeded');
      const versions = await s.request('GET', `${path}/versions`, { token: u.token });
      assert.deepEqual(
        versions.body.items.map((v: any) => [v.version, v.source]),
        [
          [3, 'generated'],
          [2, 'user'],
          [1, 'generated'],
        ],
      );
      assert.equal(versions.body.items[1].content, 'My own edit');
    });

    test('when the user has no resume or names an unknown one, then 409 or 404 and no job', async () => {
      const u = await s.register();
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: 'Acme', role_title: 'Dev', job_description: f.posting },
      });
      const none = await generate(u.token, app.body.id);
      assert.equal(none.status, 409);
      assert.equal(none.body.error.code, 'no_resume');
      const { appId } = await setup(u);
      const unknown = await generate(u.token, appId, { resume_id: UNKNOWN_ID });
      assert.equal(unknown.status, 404);
      const bad = await generate(u.token, appId, {
        document_types: ['cover_letter', 'cover_letter'],
      });
      assert.equal(bad.status, 400);
      assert.equal((await generate(u.token, UNKNOWN_ID)).status, 404);
    });

    test("when another user names the owner's job, then every job route answers 404 like an unknown id", async () => {
      const { u, appId } = await setup();
      const other = await s.register();
      const job = await generate(u.token, appId, { document_types: ['research_report'] });
      await readEvents(eventsUrl(job.body.id), { token: u.token });
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/events'],
        ['POST', '/cancel'],
      ] as const) {
        const theirs = await s.request(method, `/api/v1/generation-jobs/${job.body.id}${suffix}`, {
          token: other.token,
          body: method === 'POST' ? {} : undefined,
        });
        const unknown = await s.request(method, `/api/v1/generation-jobs/${UNKNOWN_ID}${suffix}`, {
          token: other.token,
          body: method === 'POST' ? {} : undefined,
        });
        assert.equal(theirs.status, 404, `${method} ${suffix}`);
        assert.deepEqual(theirs.body, unknown.body);
      }
      const mine = await s.request('GET', `/api/v1/generation-jobs/${job.body.id}`, {
        token: u.token,
      });
      assert.equal(mine.body.status, 'succeeded');
    });
  });

  describe(`generation job cancellation and failures (${kind})`, () => {
    test('when a queued job is cancelled, then it ends cancelled with done, and nothing is drafted', async () => {
      const s = await startTestServer(kind, { JOBFORGE_WORKER_ENABLED: 'false' });
      try {
        const u = await s.register();
        await s.request('POST', '/api/v1/resumes', {
          token: u.token,
          body: { name: 'Main', content: FIXTURES[1]!.resume },
        });
        const app = await s.request('POST', '/api/v1/applications', {
          token: u.token,
          body: {
            company_name: 'St. Mary',
            role_title: 'Nurse',
            job_description: FIXTURES[1]!.posting,
          },
        });
        const job = await s.request('POST', `/api/v1/applications/${app.body.id}/generate`, {
          token: u.token,
          body: {},
        });
        const listUrl = `/api/v1/applications/${app.body.id}/generation-jobs`;
        const active = await s.request('GET', `${listUrl}?active=true`, { token: u.token });
        assert.equal(active.status, 200, active.text);
        assert.deepEqual(
          active.body.items.map((j: { id: string }) => j.id),
          [job.body.id],
          'a second tab finds the queued job',
        );
        const cancelled = await s.request('POST', `/api/v1/generation-jobs/${job.body.id}/cancel`, {
          token: u.token,
          body: {},
        });
        assert.equal(cancelled.status, 200);
        assert.equal(cancelled.body.status, 'cancelled');
        assert.deepEqual(Object.values(cancelled.body.progress), [
          'cancelled',
          'cancelled',
          'cancelled',
        ]);
        const stream = await readEvents(`${s.url}/api/v1/generation-jobs/${job.body.id}/events`, {
          token: u.token,
        });
        assert.deepEqual(
          stream.events.map((e) => [e.event, e.data]),
          [['done', { status: 'cancelled' }]],
        );
        const afterCancel = await s.request('GET', `${listUrl}?active=true`, { token: u.token });
        assert.deepEqual(afterCancel.body.items, [], 'a cancelled job is no longer active');
        const all = await s.request('GET', listUrl, { token: u.token });
        assert.deepEqual(
          all.body.items.map((j: { id: string; status: string }) => [j.id, j.status]),
          [[job.body.id, 'cancelled']],
        );
        const again = await s.request('POST', `/api/v1/generation-jobs/${job.body.id}/cancel`, {
          token: u.token,
          body: {},
        });
        assert.equal(again.body.status, 'cancelled');
      } finally {
        await s.stop();
      }
    });
  });
}
