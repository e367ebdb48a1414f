import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';

const TOKEN = 'metrics-token-for-the-scraper-0123456789';

for (const kind of dbKinds()) {
  describe(`/metrics behind JOBFORGE_METRICS_TOKEN (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind, { JOBFORGE_METRICS_TOKEN: TOKEN });
    });
    after(() => s.stop());

    test('when the token is missing or wrong, then 401 says what to send and no metric leaks', async () => {
      for (const headers of <Record<string, string>[]>[
        {},
        { authorization: 'Bearer wrong' },
        // Same length, last character wrong.
        { authorization: `Bearer ${TOKEN.slice(0, -1)}X` },
        { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      ]) {
        const res = await s.request('GET', '/metrics', { headers });
        assert.equal(res.status, 401, JSON.stringify(headers));
        assert.equal(res.body.error.code, 'unauthorized');
        assert.match(res.body.error.message, /JOBFORGE_METRICS_TOKEN/);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="metrics"');
        assert.doesNotMatch(res.text, /jobforge_http_requests_total/);
      }
    });

    test('when the scraper sends the token, then the metrics answer; other routes are not guarded', async () => {
      const res = await s.request('GET', '/metrics', { token: TOKEN });
      assert.equal(res.status, 200);
      assert.match(res.text, /jobforge_http_requests_total/);
      assert.equal((await s.request('GET', '/healthz')).status, 200);
      const u = await s.register();
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: u.token })).status, 200);
    });
  });
}
