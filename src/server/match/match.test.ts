import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';

const f = FIXTURES[0]!; // software: Kubernetes is a must-have the resume lacks

for (const kind of dbKinds()) {
  describe(`match analysis (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const setup = async () => {
      const u = await s.register();
      const resume = await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content: f.resume },
      });
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: f.posting },
      });
      return { u, appId: app.body.id as string, resumeId: resume.body.id as string };
    };
    const match = (u: TestUser, appId: string, query = '') =>
      s.request('GET', `/api/v1/applications/${appId}/match${query}`, { token: u.token });

    test('when there is no tailored resume, then the source resume is scored with quoted evidence and the gaps', async () => {
      const { u, appId, resumeId } = await setup();
      const res = await match(u, appId);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.resume_id, resumeId);
      assert.ok(res.body.score > 0 && res.body.score < 100, String(res.body.score));
      const byText = (frag: string) =>
        res.body.requirements.find((r: { text: string }) => r.text.includes(frag));
      const pg = byText('PostgreSQL and SQL');
      assert.deepEqual([pg.importance, pg.status], ['must', 'met']);
      for (const quote of pg.evidence) assert.ok(f.resume.includes(quote), quote);
      assert.deepEqual(
        [byText('Kubernetes').status, byText('Kubernetes').evidence],
        ['missing', []],
      );
      assert.ok(res.body.missing_keywords.includes('kubernetes'));
      assert.equal(res.body.tailored, null);
      assert.deepEqual((await match(u, appId)).body, res.body, 'deterministic');
    });

    test('when the tailored resume invents an employer and a skill, then both lines are ungrounded; the offline draft is grounded', async () => {
      const { u, appId } = await setup();
      const job = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['optimized_resume'] },
      });
      assert.equal(job.status, 202, job.text);
      for (let i = 0; i < 400; i++) {
        const j = await s.request('GET', `/api/v1/generation-jobs/${job.body.id}`, {
          token: u.token,
        });
        if (j.body.status === 'succeeded') break;
        assert.ok(['queued', 'running'].includes(j.body.status), j.text);
        await new Promise((r) => setTimeout(r, 25));
      }
      const drafted = await match(u, appId);
      assert.equal(drafted.body.tailored.version, 1);
      assert.deepEqual(drafted.body.tailored.grounding, { grounded: true, ungrounded: [] });
      assert.equal(
        drafted.body.tailored.score,
        drafted.body.score,
        'reordering alone changes no fact',
      );

      const doc = await s.request(
        'GET',
        `/api/v1/applications/${appId}/documents/optimized_resume`,
        { token: u.token },
      );
      const edited = `${doc.body.content}\n- Ran Kubernetes clusters at Globex Corporation\n`;
      await s.request('PUT', `/api/v1/applications/${appId}/documents/optimized_resume`, {
        token: u.token,
        body: { content: edited },
      });
      const after = await match(u, appId);
      const t = after.body.tailored;
      assert.equal(t.version, 2);
      assert.equal(t.grounding.grounded, false);
      assert.deepEqual(t.grounding.ungrounded, [
        {
          text: 'Ran Kubernetes clusters at Globex Corporation',
          reasons: [
            { kind: 'skill', text: 'kubernetes' },
            { kind: 'name', text: 'Globex Corporation' },
          ],
        },
      ]);
      assert.ok(t.score > after.body.score, 'the invented skill is what raises the score');
    });

    test('when the resume or application is not the caller’s, then 404; without any resume, 409', async () => {
      const a = await setup();
      const b = await setup();
      assert.equal((await match(b.u, a.appId)).status, 404);
      assert.equal((await match(a.u, a.appId, `?resume_id=${b.resumeId}`)).status, 404);
      assert.equal((await match(a.u, a.appId, '?resume_id=nope')).status, 400);
      const empty = await s.register();
      const app = await s.request('POST', '/api/v1/applications', {
        token: empty.token,
        body: { company_name: 'X', role_title: 'Y', job_description: f.posting },
      });
      const res = await match(empty, app.body.id);
      assert.deepEqual([res.status, res.body.error.code], [409, 'no_resume']);
    });
  });
}
