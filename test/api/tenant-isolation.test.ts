import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../helpers/databases.ts';
import { DOCUMENT_TYPES, SAMPLE_BODIES, seedUser, type SeededUser } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Fills a route pattern with the owner's ids. Unknown parameters fail the test: add them here. */
function fill(url: string, owner: SeededUser, type: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'type') return type;
    if (name !== 'id')
      throw new Error(`route ${url} has a parameter :${name} the isolation matrix does not know`);
    if (url.startsWith('/api/v1/resumes/')) return owner.resumeIds[0]!;
    if (url.startsWith('/api/v1/applications/')) return owner.applicationId;
    if (url.startsWith('/api/v1/generation-jobs/')) return owner.jobId;
    throw new Error(`route ${url} takes an id the isolation matrix does not know how to fill`);
  });
}

for (const kind of dbKinds()) {
  describe(`tenant isolation matrix (${kind})`, () => {
    let s: TestServer;
    let alice: SeededUser;
    let bob: SeededUser;
    const snapshot = async (u: SeededUser) => {
      const res = await s.request('GET', '/api/v1/users/me/export', { token: u.token });
      assert.equal(res.status, 200);
      const { exported_at: _exportedAt, ...rest } = res.body;
      return rest;
    };

    before(async () => {
      s = await startTestServer(kind);
      alice = await seedUser(s, 'alicemarker');
      bob = await seedUser(s, 'bobmarker');
    });
    after(() => s.stop());

    test('when another user calls any route that takes an id, then 404 and the owner’s rows are unchanged', async () => {
      const routes = s.server.app.routeTable.filter((r) => r.url.includes(':'));
      assert.ok(
        routes.length >= 8,
        `expected the id routes, got ${routes.map((r) => r.url).join(', ')}`,
      );
      const before = await snapshot(alice);
      for (const route of routes) {
        for (const type of route.url.includes(':type') ? DOCUMENT_TYPES : ['-']) {
          const url = fill(route.url, alice, type);
          const key = `${route.method} ${route.url}`;
          const body =
            route.method === 'GET' || route.method === 'DELETE' ? undefined : SAMPLE_BODIES[key];
          if (route.method !== 'GET' && route.method !== 'DELETE') {
            assert.ok(
              body !== undefined,
              `no sample body for ${key}: add one to test/helpers/fixtures.ts`,
            );
          }
          const res = await s.request(route.method, url, { token: bob.token, body });
          assert.equal(
            res.status,
            404,
            `${route.method} ${url} as another user → ${res.status} ${res.text}`,
          );
          assert.equal(res.body.error.code, 'not_found');
          // Same answer as an id that exists nowhere.
          const unknown = url.replace(
            /[0-9a-f]{8}-[0-9a-f-]{27}/,
            '00000000-0000-4000-8000-000000000000',
          );
          const res2 = await s.request(route.method, unknown, { token: bob.token, body });
          assert.equal(res2.status, 404);
          assert.deepEqual(res2.body, res.body, 'no hint of which');
        }
      }
      assert.deepEqual(await snapshot(alice), before, 'the owner’s data is byte-identical');
    });

    test('when a user lists or searches, then only their own rows come back', async () => {
      const aliceIds = new Set([...alice.resumeIds, alice.applicationId]);
      for (const path of ['/api/v1/resumes', '/api/v1/applications?limit=100']) {
        const res = await s.request('GET', path, { token: bob.token });
        assert.equal(res.status, 200);
        assert.ok(res.body.items.length > 0);
        for (const item of res.body.items)
          assert.ok(!aliceIds.has(item.id), `${path} leaked ${item.id}`);
      }
      const search = await s.request('GET', '/api/v1/search?q=alicemarker', { token: bob.token });
      assert.equal(search.status, 200);
      assert.deepEqual(search.body.items, []);
      const own = await s.request('GET', '/api/v1/search?q=alicemarker', { token: alice.token });
      assert.deepEqual(
        new Set(own.body.items.map((h: any) => h.kind)),
        new Set(['application', 'resume', 'document']),
      );
      const exp = await s.request('GET', '/api/v1/users/me/export', { token: bob.token });
      assert.doesNotMatch(exp.text, /alicemarker/);
    });

    test('when a user deletes their account, then everything they own is gone and the other user keeps theirs', async () => {
      const carol = await seedUser(s, 'carolmarker');
      const bobBefore = await snapshot(bob);
      const res = await s.request('DELETE', '/api/v1/users/me', {
        token: carol.token,
        body: { password: carol.password },
      });
      assert.equal(res.status, 204);
      const counts = await s.server.db.asOwner((tx) =>
        tx.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM user_resumes WHERE user_id = $1) + (SELECT count(*) FROM applications WHERE user_id = $1)
                + (SELECT count(*) FROM documents WHERE user_id = $1) + (SELECT count(*) FROM document_versions WHERE user_id = $1)
                + (SELECT count(*) FROM application_events WHERE user_id = $1) + (SELECT count(*) FROM sessions WHERE user_id = $1)
                + (SELECT count(*) FROM users WHERE id = $1) AS n`,
          [carol.id],
        ),
      );
      assert.equal(Number(counts.rows[0]!.n), 0);
      assert.deepEqual(await snapshot(bob), bobBefore);
      const login = await s.request('POST', '/api/v1/auth/login', {
        body: { email: carol.email, password: carol.password },
      });
      assert.equal(login.status, 401);
    });
  });
}
