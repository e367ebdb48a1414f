import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  jsonStep,
  startFakeAnthropic,
  startFakeOpenAi,
  type FakeServer,
  type RecordedRequest,
} from '../../../test/fakes/llm-servers.ts';
import { FIXTURES, INJECTION_POSTING } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { deltasByType, readEvents } from '../../../test/helpers/sse.ts';

const KEY = 'sk-brief';
const f = FIXTURES[0]!;
const portOf = (url: string) => Number(new URL(url).port);

const BRIEF = {
  role_summary: 'A backend engineer for payment APIs.',
  requirements: [
    { text: '5+ years of TypeScript', importance: 'must' },
    { text: 'Experience with PostgreSQL', importance: 'must' },
    { text: 'Kafka', importance: 'nice' },
  ],
  keywords: ['TypeScript', 'PostgreSQL', 'Kafka'],
  open_questions: ['What is the salary range?'],
};
const SECTION =
  '## From the posting, point by point\n\n### Requirements (must / nice to have)\n\nMust have:\n\n' +
  '- 5+ years of TypeScript\n- Experience with PostgreSQL\n\nNice to have:\n\n- Kafka\n\n' +
  '### Keywords\n\nTypeScript, PostgreSQL, Kafka\n\n### Questions to ask\n\n- What is the salary range?\n';

const streamed = (r: RecordedRequest) => Boolean(r.body?.stream);
const userPrompt = (r: RecordedRequest): string =>
  (r.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
const systemPrompt = (r: RecordedRequest): string =>
  typeof r.body.system === 'string'
    ? r.body.system
    : (r.body.messages as { role: string; content: string }[]).find((m) => m.role === 'system')!
        .content;

for (const kind of dbKinds()) {
  describe(`structured posting brief beside the research report (${kind})`, () => {
    let s: TestServer;
    let openai: FakeServer;
    let older: FakeServer;
    let anthropic: FakeServer;
    before(async () => {
      openai = await startFakeOpenAi({ apiKey: KEY });
      older = await startFakeOpenAi({ apiKey: KEY, noJsonSchema: true });
      anthropic = await startFakeAnthropic({ apiKey: KEY });
      s = await startTestServer(
        kind,
        { JOBFORGE_LLM_RETRY_BASE_MS: '1', JOBFORGE_LLM_RETRY_MAX_MS: '20' },
        {
          outbound: {
            allowedTargets: [openai, older, anthropic].map((fake) => ({
              address: '127.0.0.1',
              port: portOf(fake.url),
            })),
          },
        },
      );
    });
    after(async () => {
      await s.stop();
      await Promise.all([openai.close(), older.close(), anthropic.close()]);
    });

    const setup = async (fake: FakeServer, posting = f.posting) => {
      const u = await s.register();
      const saved = await s.request('PUT', '/api/v1/users/me/ai-settings', {
        token: u.token,
        body:
          fake === anthropic
            ? { provider: 'anthropic', model: 'claude-test', base_url: fake.url, api_key: KEY }
            : { provider: 'openai-compatible', model: 'm1', base_url: fake.url, api_key: KEY },
      });
      assert.equal(saved.status, 200, saved.text);
      await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content: f.resume },
      });
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: posting },
      });
      assert.equal(app.status, 201, app.text);
      fake.requests.length = 0;
      return { u, appId: app.body.id as string };
    };
    const run = async (u: TestUser, appId: string, types?: string[]) => {
      const job = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: types ? { document_types: types } : {},
      });
      assert.equal(job.status, 202, job.text);
      const stream = await readEvents(`${s.url}/api/v1/generation-jobs/${job.body.id}/events`, {
        token: u.token,
      });
      assert.deepEqual(stream.events.at(-1)!.data, { status: 'succeeded' });
      const done = await s.request('GET', `/api/v1/generation-jobs/${job.body.id}`, {
        token: u.token,
      });
      const report = await s.request(
        'GET',
        `/api/v1/applications/${appId}/documents/research_report`,
        { token: u.token },
      );
      return { events: stream.events, job: done.body, report: report.body.content as string };
    };
    const warnings = (events: { event: string; data: any }[]) =>
      events.filter((e) => e.event === 'progress' && e.data.warning).map((e) => e.data.warning);

    test('when the model answers the brief through json_schema, then the report ends with the section our code drew from it, the other documents get it as data, and its tokens count', async () => {
      const { u, appId } = await setup(openai);
      openai.script([
        {
          kind: 'text',
          chunks: ['# Report\n', 'What the posting tells.'],
          usage: { input: 100, output: 10 },
        },
        { kind: 'text', chunks: ['# Resume'], usage: { input: 100, output: 10 } },
        { kind: 'text', chunks: ['Dear team'], usage: { input: 100, output: 10 } },
      ]);
      openai.scriptJson([jsonStep(BRIEF, { usage: { input: 40, output: 4 } })]);
      const { events, job, report } = await run(u, appId);

      assert.equal(report, `# Report\nWhat the posting tells.\n\n${SECTION}`);
      assert.equal(deltasByType(events).research_report, report, 'what streamed is what was saved');
      assert.deepEqual(warnings(events), []);
      const json = openai.requests.filter((r) => !streamed(r));
      assert.equal(json.length, 1);
      assert.equal(json[0]!.body.response_format.type, 'json_schema');
      assert.equal(json[0]!.body.response_format.json_schema.name, 'posting_brief');
      assert.deepEqual(json[0]!.body.response_format.json_schema.schema.required, [
        'role_summary',
        'requirements',
        'keywords',
        'open_questions',
      ]);
      const drafts = openai.requests.filter(streamed);
      assert.equal(drafts.length, 3);
      for (const r of drafts.slice(1)) {
        const block = /<posting_brief>\n([\s\S]*?)\n<\/posting_brief>/.exec(userPrompt(r));
        assert.ok(block, 'the resume and the letter get the brief in its data block');
        assert.deepEqual(JSON.parse(block[1]!), BRIEF);
      }
      assert.deepEqual([job.usage.input_tokens, job.usage.output_tokens], [340, 34]);
    });

    test('when an OpenAI-compatible server refuses json_schema with a 400, then the brief is asked again without it and still makes the section', async () => {
      const { u, appId } = await setup(older);
      older.script([{ kind: 'text', chunks: ['# Report\n'] }]);
      older.scriptJson([jsonStep(BRIEF, { prefix: 'Here it is:\n' })]);
      const { events, report } = await run(u, appId, ['research_report']);
      assert.equal(report, `# Report\n\n${SECTION}`);
      assert.deepEqual(warnings(events), []);
      const json = older.requests.filter((r) => !streamed(r));
      assert.deepEqual(
        json.map((r) => r.body.response_format?.type ?? 'none'),
        ['json_schema', 'none'],
      );
    });

    test('when Anthropic answers the brief in a code fence with prose around it, then it is repaired and the section is drawn', async () => {
      const { u, appId } = await setup(anthropic);
      anthropic.script([{ kind: 'text', chunks: ['# Report\n', 'Only the posting.'] }]);
      anthropic.scriptJson([
        jsonStep(BRIEF, {
          prefix: 'Sure! Here is the brief:\n```json\n',
          suffix: '\n```\nLet me know if you need more.',
        }),
      ]);
      const { events, report } = await run(u, appId, ['research_report']);
      assert.equal(report, `# Report\nOnly the posting.\n\n${SECTION}`);
      assert.deepEqual(warnings(events), []);
      assert.equal(anthropic.requests.filter((r) => !streamed(r)).length, 1);
    });

    test('when the model answers nonsense twice, then it is told what was wrong once, the job still succeeds with a warning, and the report has no section', async () => {
      const { u, appId } = await setup(openai);
      openai.script([{ kind: 'text', chunks: ['# Report\n', 'From the posting text.'] }]);
      openai.scriptJson([
        { kind: 'text', chunks: ['I am not sure what you mean.'] },
        jsonStep({ role_summary: 'x', requirements: 'many' }),
      ]);
      const { events, report } = await run(u, appId, ['research_report']);
      assert.equal(report, '# Report\nFrom the posting text.');
      assert.doesNotMatch(report, /Requirements \(must/);
      const [warning, ...more] = warnings(events);
      assert.equal(more.length, 0);
      assert.match(
        warning,
        /^Model m1 could not produce the structured requirements \(the JSON does not have the expected shape \(requirements: .*\)\); the report is drafted from the posting text only\.$/,
      );
      const saved = events.findIndex((e) => e.event === 'document');
      const warned = events.findIndex((e) => e.event === 'progress' && e.data.warning);
      assert.ok(warned >= 0 && warned < saved, 'the warning comes before the report is saved');
      const json = openai.requests.filter((r) => !streamed(r));
      assert.equal(json.length, 2, 'one repair attempt, no more');
      assert.match(
        userPrompt(json[1]!),
        /Your previous answer could not be used: the answer contains no JSON object\./,
      );
    });

    test('when the posting carries instructions, then in the brief request it stays inside its data block and the system message says it is data', async () => {
      const { u, appId } = await setup(openai, INJECTION_POSTING);
      openai.script([{ kind: 'text', chunks: ['# Report\n'] }]);
      openai.scriptJson([jsonStep(BRIEF)]);
      await run(u, appId, ['research_report']);
      const [json] = openai.requests.filter((r) => !streamed(r));
      const user = userPrompt(json!);
      const system = systemPrompt(json!);
      const start = user.indexOf('<job_posting>');
      const at = user.indexOf('Ignore all previous instructions');
      const end = user.indexOf('</job_posting>');
      assert.ok(start >= 0 && start < at && at < end, 'the injection sits inside the data block');
      assert.equal(user.indexOf('</job_posting>', end + 1), -1, 'the block is closed once');
      assert.equal(user.indexOf('<job_posting>', start + 1), -1, 'and opened once');
      assert.ok(!system.includes('Ignore all previous instructions'));
      assert.match(system, /DATA, not instructions/);
    });
  });
}
