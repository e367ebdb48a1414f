import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import {
  startFakeAnthropic,
  startFakeOpenAi,
  type FakeServer,
} from '../../../test/fakes/llm-servers.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { readEvents } from '../../../test/helpers/sse.ts';

const f = FIXTURES[0]!;

/** The fixture's resume, reordered and reworded by a model that invents four things. */
const INVENTING = `# Ada Example
ada@example.com · Berlin

## Experience
### Backend Engineer, Example Ltd (2016–2024)
- Built payment APIs in TypeScript and Node.js serving 2 million requests a day
- Ran Kubernetes clusters for the payment APIs
- Tuned PostgreSQL queries and indexes, cutting p99 latency by 60%
- Mentored 12 junior engineers
- Built payment APIs for Globex Corporation

## Education
- BSc Computer Science, TU Berlin (2012–2015)
`;

/** The same resume, only reordered and reselected: nothing to report. */
const FAITHFUL = `# Ada Example
ada@example.com · Berlin

## Highlights for this role
- Built payment APIs in TypeScript and Node.js serving 2 million requests a day
- Tuned PostgreSQL queries and indexes, cutting p99 latency by 60%

## Experience
### Backend Engineer, Example Ltd (2019–2024)
- Built payment APIs in TypeScript and Node.js serving 2 million requests a day
- Tuned PostgreSQL queries and indexes, cutting p99 latency by 60%
- Mentored three junior engineers

## Skills
- TypeScript, Node.js, PostgreSQL, SQL, Docker, Kafka

## Education
- BSc Computer Science, TU Berlin (2012–2015)
`;

const claims = (doc: any) =>
  (doc.grounding.ungrounded as { kind: string; text: string }[])
    .map((c) => `${c.kind}:${c.text}`)
    .sort();

async function setup(s: TestServer, u: TestUser, resume = f.resume) {
  const r = await s.request('POST', '/api/v1/resumes', {
    token: u.token,
    body: { name: 'Main', content: resume },
  });
  assert.equal(r.status, 201, r.text);
  const app = await s.request('POST', '/api/v1/applications', {
    token: u.token,
    body: { company_name: f.company, role_title: f.role, job_description: f.posting },
  });
  assert.equal(app.status, 201, app.text);
  return { appId: app.body.id as string, resumeId: r.body.id as string };
}

/** Drafts only the tailored resume (the report is drafted first as its input) and waits. */
async function tailor(s: TestServer, u: TestUser, appId: string) {
  const job = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
    token: u.token,
    body: { document_types: ['optimized_resume'] },
  });
  assert.equal(job.status, 202, job.text);
  const stream = await readEvents(`${s.url}/api/v1/generation-jobs/${job.body.id}/events`, {
    token: u.token,
  });
  assert.deepEqual(stream.events.at(-1)?.data, { status: 'succeeded' }, JSON.stringify(stream));
  const event = stream.events.find((e) => e.event === 'document')!.data;
  const doc = await s.request('GET', `/api/v1/applications/${appId}/documents/optimized_resume`, {
    token: u.token,
  });
  assert.equal(doc.status, 200);
  return { event, doc: doc.body };
}

for (const kind of dbKinds()) {
  for (const provider of ['openai', 'anthropic'] as const) {
    describe(`grounding of drafts from ${provider} (fake server, real SDK; ${kind})`, () => {
      let fake: FakeServer;
      let s: TestServer;
      before(async () => {
        fake = await (provider === 'openai' ? startFakeOpenAi : startFakeAnthropic)({
          apiKey: 'sk-test',
        });
        s = await startTestServer(kind, {
          JOBFORGE_LLM_PROVIDER: provider,
          JOBFORGE_LLM_BASE_URL: fake.url,
          JOBFORGE_LLM_MODEL: `${provider}-test`,
          [provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY']: 'sk-test',
        });
      });
      after(async () => {
        await s.stop();
        await fake.close();
      });

      test('when the model invents a skill, an employer, a date and a number, then the saved resume is flagged with each', async () => {
        const u = await s.register();
        const { appId, resumeId } = await setup(s, u);
        fake.script([
          { kind: 'text', chunks: ['# Report\n', 'What the posting says.'] },
          { kind: 'text', chunks: INVENTING.match(/[\s\S]{1,40}/g)! },
        ]);
        const { event, doc } = await tailor(s, u, appId);
        assert.equal(doc.content, INVENTING);
        assert.equal(doc.flagged, true);
        assert.equal(doc.grounding.checked_against_resume_id, resumeId);
        assert.deepEqual(claims(doc), [
          'date:2016',
          'name:Globex Corporation',
          'number:12',
          'skill:kubernetes',
        ]);
        const globex = doc.grounding.ungrounded.find((c: any) => c.text === 'Globex Corporation');
        assert.equal(globex.line, 'Built payment APIs for Globex Corporation');
        assert.equal(event.ungrounded_count, 4, 'the SSE document event counts them');
        const versions = await s.request(
          'GET',
          `/api/v1/applications/${appId}/documents/optimized_resume/versions`,
          { token: u.token },
        );
        assert.deepEqual(versions.body.items[0].grounding, doc.grounding, 'kept with the version');
      });

      test('when the model only reorders and reselects the resume, then nothing is flagged', async () => {
        const u = await s.register();
        const { appId } = await setup(s, u);
        fake.script([
          { kind: 'text', chunks: ['# Report\n', 'What the posting says.'] },
          { kind: 'text', chunks: FAITHFUL.match(/[\s\S]{1,40}/g)! },
        ]);
        const { event, doc } = await tailor(s, u, appId);
        assert.equal(doc.content, FAITHFUL);
        assert.deepEqual([doc.flagged, doc.grounding.ungrounded], [false, []]);
        assert.equal(event.ungrounded_count, 0);
      });
    });
  }

  describe(`grounding on save (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    for (const fx of FIXTURES) {
      test(`when the offline engine tailors the ${fx.name} resume, then the saved draft is not flagged`, async () => {
        const u = await s.register();
        const r = await s.request('POST', '/api/v1/resumes', {
          token: u.token,
          body: { name: 'Main', content: fx.resume },
        });
        assert.equal(r.status, 201, r.text);
        const app = await s.request('POST', '/api/v1/applications', {
          token: u.token,
          body: { company_name: fx.company, role_title: fx.role, job_description: fx.posting },
        });
        const { event, doc } = await tailor(s, u, app.body.id);
        assert.deepEqual(
          [doc.flagged, doc.grounding.ungrounded, doc.grounding.checked_against_resume_id],
          [false, [], r.body.id],
        );
        assert.equal(event.ungrounded_count, 0);
      });
    }

    test('when the user edits the tailored resume, then each saved version is checked again', async () => {
      const u = await s.register();
      const { appId, resumeId } = await setup(s, u);
      const url = `/api/v1/applications/${appId}/documents/optimized_resume`;
      const first = await s.request('PUT', url, { token: u.token, body: { content: FAITHFUL } });
      assert.equal(first.status, 201, first.text);
      assert.deepEqual(
        [first.body.flagged, first.body.grounding],
        [false, { checked_against_resume_id: resumeId, ungrounded: [] }],
        'a first save by hand is checked against the primary resume',
      );
      const edited = await s.request('PUT', url, {
        token: u.token,
        body: { content: `${FAITHFUL}- Led the Kubernetes migration at Initech\n` },
      });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.flagged, true);
      assert.deepEqual(claims(edited.body), ['name:Initech', 'skill:kubernetes']);
      const got = await s.request('GET', url, { token: u.token });
      assert.deepEqual(got.body.grounding, edited.body.grounding);
      const list = await s.request('GET', `/api/v1/applications/${appId}/documents`, {
        token: u.token,
      });
      assert.equal(list.body.items[0].flagged, true);
      const fixed = await s.request('PUT', url, { token: u.token, body: { content: FAITHFUL } });
      assert.equal(fixed.body.flagged, false);
      const versions = await s.request('GET', `${url}/versions`, { token: u.token });
      assert.deepEqual(
        versions.body.items.map((v: any) => [v.version, v.grounding.ungrounded.length]),
        [
          [3, 0],
          [2, 2],
          [1, 0],
        ],
      );
    });

    test('when a cover letter is saved, or a tailored resume by a user without a resume, then it has no grounding and is not flagged', async () => {
      const u = await s.register();
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: f.posting },
      });
      for (const type of ['cover_letter', 'optimized_resume']) {
        const res = await s.request(
          'PUT',
          `/api/v1/applications/${app.body.id}/documents/${type}`,
          {
            token: u.token,
            body: { content: 'Dear team, I ran Kubernetes at Globex for 12 years.' },
          },
        );
        assert.equal(res.status, 201, res.text);
        assert.deepEqual([res.body.grounding, res.body.flagged], [null, false]);
      }
    });
  });
}
