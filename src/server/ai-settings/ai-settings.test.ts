import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  startFakeAnthropic,
  startFakeOpenAi,
  type FakeServer,
} from '../../../test/fakes/llm-servers.ts';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';

const KEY = 'sk-user-secret-key-1234';
const OTHER_KEY = 'sk-key-for-the-other-server';
const portOf = (url: string) => Number(new URL(url).port);

for (const kind of dbKinds()) {
  describe(`AI settings, status and connection tests (${kind})`, () => {
    let s: TestServer;
    let openai: FakeServer;
    let anthropic: FakeServer;
    // Another server a user might name: it records every Authorization header it receives.
    let elsewhere: FakeServer;
    before(async () => {
      openai = await startFakeOpenAi({ apiKey: KEY, models: ['llama3.1:8b'] });
      anthropic = await startFakeAnthropic({ apiKey: KEY });
      elsewhere = await startFakeOpenAi({ apiKey: OTHER_KEY, models: ['llama3.1:8b'] });
      // The guard allows exactly the fakes' ports on 127.0.0.1, as the SSRF tests do.
      s = await startTestServer(
        kind,
        { JOBFORGE_LLM_RETRY_BASE_MS: '1', JOBFORGE_LLM_RETRY_MAX_MS: '20' },
        {
          outbound: {
            allowedTargets: [openai.url, anthropic.url, elsewhere.url].map((u) => ({
              address: '127.0.0.1',
              port: portOf(u),
            })),
          },
        },
      );
    });
    after(async () => {
      await s.stop();
      await openai.close();
      await anthropic.close();
      await elsewhere.close();
    });

    const put = (u: TestUser, body: unknown) =>
      s.request('PUT', '/api/v1/users/me/ai-settings', { token: u.token, body });
    const get = (u: TestUser, path: string) => s.request('GET', path, { token: u.token });
    const testConnection = (u: TestUser, body?: unknown) =>
      s.request('POST', '/api/v1/ai/test-connection', { token: u.token, body });

    test('when a user has no settings, then the server’s offline engine is what drafts use', async () => {
      const u = await s.register();
      const settings = await get(u, '/api/v1/users/me/ai-settings');
      assert.deepEqual(settings.body, {
        provider: null,
        model: null,
        base_url: null,
        api_key_set: false,
        updated_at: null,
      });
      const status = await get(u, '/api/v1/ai/status');
      const { budget_resets_at: resetsAt, ...rest } = status.body;
      assert.deepEqual(rest, {
        source: 'server',
        provider: 'offline',
        model: 'jobforge-offline-1',
        base_url: null,
        api_key_set: false,
        usage_today: { input_tokens: 0, output_tokens: 0, total_tokens: 0, estimated_cost_usd: 0 },
        daily_token_budget: null,
        budget_remaining: null,
      });
      assert.match(resetsAt, /T00:00:00\.000Z$/);
      const check = await testConnection(u);
      assert.equal(check.status, 200);
      assert.equal(check.body.ok, true);
    });

    test('when a key is saved, then it is stored sealed, never returned or exported, kept when omitted and cleared by null', async () => {
      const u = await s.register();
      const saved = await put(u, { provider: 'anthropic', model: 'claude-test', api_key: KEY });
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.body.api_key_set, true);
      assert.doesNotMatch(saved.text, new RegExp(KEY));
      const stored = await s.server.db.asOwner((tx) =>
        tx.query<{ api_key_encrypted: string }>(
          'SELECT api_key_encrypted FROM user_ai_settings WHERE user_id = $1',
          [u.id],
        ),
      );
      assert.match(stored.rows[0]!.api_key_encrypted, /^v1\./);
      assert.doesNotMatch(stored.rows[0]!.api_key_encrypted, new RegExp(KEY));
      const exported = await get(u, '/api/v1/users/me/export');
      assert.equal(exported.status, 200);
      assert.doesNotMatch(exported.text, new RegExp(KEY));
      assert.doesNotMatch(exported.text, /api_key_encrypted|v1\.[A-Za-z0-9_-]{20}/);
      assert.equal(exported.body.user_ai_settings[0].provider, 'anthropic');

      const kept = await put(u, { provider: 'anthropic', model: 'claude-other' });
      assert.deepEqual([kept.status, kept.body.api_key_set], [200, true]);
      const status = await get(u, '/api/v1/ai/status');
      const { source, provider, model, base_url, api_key_set } = status.body;
      assert.deepEqual(
        { source, provider, model, base_url, api_key_set },
        {
          source: 'user',
          provider: 'anthropic',
          model: 'claude-other',
          base_url: null,
          api_key_set: true,
        },
      );
      const noKey = await put(u, { provider: 'anthropic', api_key: null });
      assert.equal(noKey.status, 400, 'Anthropic needs a key');
      assert.ok(noKey.body.error.fields.api_key);
      const cleared = await put(u, { provider: null, api_key: null });
      assert.deepEqual([cleared.status, cleared.body.api_key_set], [200, false]);
      assert.equal((await get(u, '/api/v1/ai/status')).body.source, 'server');
    });

    test('when a base URL points at a private, loopback or link-local address, then PUT refuses it with a clear 400', async () => {
      const u = await s.register();
      for (const base_url of [
        'http://127.0.0.1:11434/v1',
        'http://localhost:11434/v1',
        'http://10.0.0.5/v1',
        'http://169.254.169.254/latest',
        'http://[::1]:8080/v1',
      ]) {
        const res = await put(u, { provider: 'openai-compatible', model: 'llama3', base_url });
        assert.equal(res.status, 400, `${base_url}: ${res.text}`);
        assert.ok(res.body.error.fields.base_url, base_url);
        if (res.body.error.code === 'address_not_allowed') {
          assert.match(res.body.error.message, /JOBFORGE_ALLOW_PRIVATE_URLS=true/);
        }
      }
      const missing = await put(u, { provider: 'openai-compatible', model: 'llama3' });
      assert.equal(missing.status, 400);
      assert.ok(missing.body.error.fields.base_url);
    });

    test('when a connection is tested, then each failure says what to fix', async () => {
      const u = await s.register();
      const base = { provider: 'openai-compatible', model: 'llama3.1:8b', base_url: openai.url };
      openai.script([{ kind: 'text', chunks: ['{"ok": true}'] }]);
      const ok = await testConnection(u, { ...base, api_key: KEY });
      assert.deepEqual([ok.status, ok.body.ok], [200, true], ok.text);
      const wrongKey = await testConnection(u, { ...base, api_key: 'sk-wrong' });
      assert.equal(wrongKey.body.ok, false);
      assert.match(wrongKey.body.message, /API key was rejected/);
      const wrongModel = await testConnection(u, { ...base, model: 'llama9', api_key: KEY });
      assert.match(wrongModel.body.message, /Model llama9 was not found on http:\/\/127\.0\.0\.1/);
      openai.script([{ kind: 'text', chunks: ['Sure! Here you go: ok'] }]);
      const noJson = await testConnection(u, { ...base, api_key: KEY });
      assert.equal(noJson.body.ok, false);
      assert.match(noJson.body.message, /JSON/);
      const wrongUrl = await testConnection(u, {
        ...base,
        base_url: 'http://10.1.2.3/v1',
        api_key: KEY,
      });
      assert.equal(wrongUrl.body.ok, false);
      assert.match(wrongUrl.body.message, /not allowed/);
      const unreachable = await testConnection(u, {
        ...base,
        base_url: 'http://jobforge-test-nowhere.example/v1',
        api_key: KEY,
      });
      assert.equal(unreachable.body.ok, false);
      assert.match(unreachable.body.message, /not found|could not be reached/);
    });

    test('when the user’s saved settings are tested with no body, then their stored key is used', async () => {
      const u = await s.register();
      const saved = await put(u, {
        provider: 'anthropic',
        model: 'claude-test',
        base_url: anthropic.url,
        api_key: KEY,
      });
      assert.equal(saved.status, 200, saved.text);
      anthropic.requests.length = 0;
      anthropic.script([{ kind: 'text', chunks: ['{"ok": true}'] }]);
      const check = await testConnection(u);
      assert.equal(check.body.ok, true, check.text);
      assert.equal(anthropic.requests.length, 1);
      const sent = anthropic.requests[0]!.headers;
      assert.equal(sent['x-api-key'] ?? sent.authorization?.replace('Bearer ', ''), KEY);
    });

    test('when a connection test names another base URL or provider, then the saved key is not sent: 400 without a key, the given key with one', async () => {
      const u = await s.register();
      const saved = await put(u, {
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        base_url: openai.url,
        api_key: KEY,
      });
      assert.equal(saved.status, 200, saved.text);
      elsewhere.requests.length = 0;
      openai.requests.length = 0;

      const otherUrl = await testConnection(u, {
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        base_url: elsewhere.url,
      });
      assert.equal(otherUrl.status, 400, otherUrl.text);
      assert.equal(otherUrl.body.error.code, 'api_key_required');
      assert.ok(otherUrl.body.error.fields.api_key);
      assert.match(otherUrl.body.error.message, /only sent to the server it was saved for/);
      assert.ok(otherUrl.body.error.message.includes(elsewhere.url));
      const otherProvider = await testConnection(u, {
        provider: 'openai',
        base_url: openai.url,
      });
      assert.equal(otherProvider.status, 400, otherProvider.text);
      assert.equal(otherProvider.body.error.code, 'api_key_required');
      assert.equal(elsewhere.requests.length + openai.requests.length, 0, 'nothing was sent');

      elsewhere.script([{ kind: 'text', chunks: ['{"ok": true}'] }]);
      const withKey = await testConnection(u, {
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        base_url: `${elsewhere.url}/`,
        api_key: OTHER_KEY,
      });
      assert.equal(withKey.body.ok, true, withKey.text);
      assert.deepEqual(
        elsewhere.requests.map((r) => r.headers.authorization),
        [`Bearer ${OTHER_KEY}`],
      );

      // The saved server, named as saved (a trailing slash aside), gets the saved key.
      openai.script([{ kind: 'text', chunks: ['{"ok": true}'] }]);
      const same = await testConnection(u, {
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        base_url: `${openai.url}/`,
      });
      assert.equal(same.body.ok, true, same.text);
      assert.deepEqual(
        openai.requests.map((r) => r.headers.authorization),
        [`Bearer ${KEY}`],
      );
      for (const r of elsewhere.requests) assert.notEqual(r.headers.authorization, `Bearer ${KEY}`);
    });

    test('when a user tests connections more than 10 times in 10 minutes, then 429 with Retry-After, and other users are not affected', async () => {
      const u = await s.register();
      const other = await s.register();
      openai.requests.length = 0;
      const body = { provider: 'openai-compatible', model: 'llama3.1:8b', base_url: openai.url };
      for (let i = 0; i < 10; i++) {
        const ok = await testConnection(u, body);
        assert.equal(ok.status, 200, ok.text);
      }
      const limited = await testConnection(u, body);
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'too_many_requests');
      assert.match(
        limited.body.error.message,
        /tested a connection 10 times in the last 10 minutes\. Wait \d+ min/,
      );
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 600, `Retry-After ${retryAfter}`);
      assert.equal(openai.requests.length, 10, 'the refused test made no outbound call');
      assert.equal((await testConnection(other, body)).status, 200);
    });

    test('when a user drafts with their own OpenAI-compatible server, then the job records it and the documents are what it wrote', async () => {
      const u = await s.register();
      const f = FIXTURES[0]!;
      const saved = await put(u, {
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        base_url: openai.url,
        api_key: KEY,
      });
      assert.equal(saved.status, 200, saved.text);
      await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content: f.resume },
      });
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: f.posting },
      });
      openai.requests.length = 0;
      openai.script([{ kind: 'text', chunks: ['# Report\n', 'From the posting only.'] }]);
      const job = await s.request('POST', `/api/v1/applications/${app.body.id}/generate`, {
        token: u.token,
        body: { document_types: ['research_report'] },
      });
      assert.equal(job.status, 202, job.text);
      assert.deepEqual([job.body.provider, job.body.model], ['openai-compatible', 'llama3.1:8b']);
      const done = await waitForJob(s, u, job.body.id);
      assert.equal(done.status, 'succeeded', done.error);
      const doc = await get(u, `/api/v1/applications/${app.body.id}/documents/research_report`);
      assert.equal(doc.body.content, '# Report\nFrom the posting only.');
      // The report's stream and the posting brief asked for beside it, both with the user's key.
      assert.equal(openai.requests.length, 2);
      for (const r of openai.requests) assert.equal(r.headers.authorization, `Bearer ${KEY}`);
    });

    test('when a saved base URL is no longer allowed, then the job fails at connection time without retrying and nothing is sent', async () => {
      const u = await s.register();
      const f = FIXTURES[0]!;
      // As if saved while the operator allowed private addresses, since switched off.
      await s.server.db.asOwner((tx) =>
        tx.query(
          `INSERT INTO user_ai_settings (user_id, provider, model, base_url)
           VALUES ($1, 'openai-compatible', 'llama3', 'http://127.0.0.1:9/v1')`,
          [u.id],
        ),
      );
      await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content: f.resume },
      });
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: f.posting },
      });
      const job = await s.request('POST', `/api/v1/applications/${app.body.id}/generate`, {
        token: u.token,
        body: {},
      });
      const done = await waitForJob(s, u, job.body.id);
      assert.equal(done.status, 'failed');
      assert.match(done.error ?? '', /cannot be used: This address is not allowed: 127\.0\.0\.1/);
      assert.equal(done.attempts, 1);
    });
  });
}

async function waitForJob(s: TestServer, u: TestUser, id: string) {
  for (let i = 0; i < 400; i++) {
    const res = await s.request('GET', `/api/v1/generation-jobs/${id}`, { token: u.token });
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}
