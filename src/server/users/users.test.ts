import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';

const UNICODE_NAMES = [
  'Zoë Ångström-Łukasiewicz',
  '山田 太郎',
  'محمد العربي',
  '👩🏽‍💻 Dev',
  'e\u0301 (combining)',
];

for (const kind of dbKinds()) {
  describe(`your account (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    test('when names use accents, CJK, RTL, emoji or combining marks, then they round-trip byte for byte', async () => {
      for (const name of UNICODE_NAMES) {
        const u = await s.register({ first_name: name, last_name: name });
        const me = await s.request('GET', '/api/v1/users/me', { token: u.token });
        assert.equal(me.body.first_name, name);
        assert.equal(Buffer.compare(Buffer.from(me.body.last_name), Buffer.from(name)), 0);
      }
    });

    test('when a user changes name and email, then they are stored; a taken email is 409 and changes nothing', async () => {
      const a = await s.register();
      const b = await s.register();
      const res = await s.request('PATCH', '/api/v1/users/me', {
        token: a.token,
        body: { first_name: '  Renée ', email: `renamed-${a.email}` },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.first_name, 'Renée');
      const taken = await s.request('PATCH', '/api/v1/users/me', {
        token: a.token,
        body: { email: b.email.toUpperCase(), first_name: 'Changed' },
      });
      assert.equal(taken.status, 409);
      const me = await s.request('GET', '/api/v1/users/me', { token: a.token });
      assert.equal(me.body.first_name, 'Renée');
      assert.equal(me.body.email, `renamed-${a.email}`);
    });

    test('when a patch is blank or sets a protected field, then 400 and nothing changes', async () => {
      const a = await s.register();
      for (const body of [
        { first_name: '   ' },
        { is_active: false },
        { id: a.id },
        { created_at: '2020-01-01T00:00:00Z' },
      ]) {
        const res = await s.request('PATCH', '/api/v1/users/me', { token: a.token, body });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      const me = await s.request('GET', '/api/v1/users/me', { token: a.token });
      assert.equal(me.body.first_name, 'Test');
      assert.equal(me.body.is_active, true);
    });

    test('when deleting the account with a wrong password, then 403 and nothing is deleted', async () => {
      const a = await s.register();
      const res = await s.request('DELETE', '/api/v1/users/me', {
        token: a.token,
        body: { password: 'wrong password' },
      });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'wrong_password');
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: a.token })).status, 200);
      const ok = await s.request('DELETE', '/api/v1/users/me', {
        token: a.token,
        body: { password: a.password },
      });
      assert.equal(ok.status, 204);
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: a.token })).status, 401);
    });

    test('when the current password is wrong, then the password does not change', async () => {
      const a = await s.register();
      const res = await s.request('POST', '/api/v1/users/me/password', {
        token: a.token,
        body: { current_password: 'not it', new_password: 'something else entirely' },
      });
      assert.equal(res.status, 403);
      const login = await s.request('POST', '/api/v1/auth/login', {
        body: { email: a.email, password: a.password },
      });
      assert.equal(login.status, 200);
    });

    test('when a user exports, then one JSON document holds their account and every table, as an attachment', async () => {
      const a = await s.register();
      const res = await s.request('GET', '/api/v1/users/me/export', { token: a.token });
      assert.equal(res.status, 200);
      assert.match(
        res.headers.get('content-disposition') ?? '',
        /attachment; filename="jobforge-export-/,
      );
      assert.equal(res.body.format, 'jobforge-user-export');
      assert.equal(res.body.user.id, a.id);
      // Every table that holds a user's rows is in the export, except sign-in bookkeeping and
      // embeddings (derived from the documents, recomputed on demand): a new tenant table that
      // the export forgets fails here.
      const { rows } = await s.server.db.asOwner((tx) =>
        tx.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id')`,
        ),
      );
      const tenantTables = rows
        .map((r) => r.name)
        .filter((t) => !['sessions', 'refresh_tokens', 'document_embeddings'].includes(t));
      assert.ok(tenantTables.length >= 8);
      for (const t of tenantTables) assert.ok(Array.isArray(res.body[t]), `${t} is exported`);
      assert.doesNotMatch(res.text, /password_hash|argon2/);
    });
  });
}
