import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { seedTenantRows, tenantTables } from '../../../test/helpers/tenant-data.ts';
import { OperatorError } from './errors.ts';
import { OperatorService } from './operators.service.ts';

for (const kind of dbKinds()) {
  describe(`operator user commands (${kind})`, () => {
    let s: TestServer;
    let ops: OperatorService;
    let ana: TestUser;
    let ben: TestUser;

    const login = (u: TestUser) =>
      s.request('POST', '/api/v1/auth/login', {
        body: { email: u.email, password: u.password, client: 'api' },
      });
    const rowsOf = async (userId: string) => {
      const counts: Record<string, number> = {};
      for (const t of await tenantTables(s.server.db)) {
        counts[t.name] = await s.server.db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${t.name} WHERE ${t.owner} = $1`,
            [userId],
          );
          return rows[0]!.n;
        });
      }
      return counts;
    };

    before(async () => {
      s = await startTestServer(kind);
      ops = new OperatorService(s.server.db);
      ana = await s.register({ first_name: 'Ana', last_name: 'López' });
      ben = await s.register({ first_name: 'Ben', last_name: 'Okafor' });
      await seedTenantRows(s.server.db, ana.id, 3);
      await seedTenantRows(s.server.db, ben.id, 1);
    });
    after(() => s.stop());

    test('when listing users, then each comes with name, state and resume and application counts, oldest first', async () => {
      const users = await ops.listUsers();
      assert.deepEqual(
        users.map((u) => [u.email, u.name, u.active, u.resumes, u.applications]),
        [
          [ana.email, 'Ana López', true, 2, 3],
          [ben.email, 'Ben Okafor', true, 2, 1],
        ],
      );
      assert.ok(users.every((u) => !Number.isNaN(Date.parse(u.created_at))));
    });

    test('when a user is disabled, then their access token gets 401, sign-in 403 and refresh 401', async () => {
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: ana.token })).status, 200);
      const r = await ops.disableUser(ana.email.toUpperCase());
      assert.equal(r.changed, true);
      assert.ok(r.sessions >= 2, 'the API session and the seeded one');
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: ana.token })).status, 401);
      const res = await login(ana);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'account_disabled');
      const refresh = await s.request('POST', '/api/v1/auth/refresh', {
        body: { refresh_token: ana.refreshToken },
      });
      assert.equal(refresh.status, 401);
      const sessions = await s.server.db.asOwner((tx) =>
        tx.query<{ revoked_reason: string | null }>(
          'SELECT revoked_reason FROM sessions WHERE user_id = $1',
          [ana.id],
        ),
      );
      assert.ok(sessions.rows.every((x) => x.revoked_reason === 'disabled'));
      assert.equal((await ops.listUsers()).find((u) => u.id === ana.id)!.active, false);
      assert.equal((await ops.disableUser(ana.id)).changed, false, 'disabling twice is harmless');
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: ben.token })).status, 200);
    });

    test('when a user is enabled again, then they can sign in; the ended sessions stay ended', async () => {
      const r = await ops.enableUser(ana.id);
      assert.equal(r.changed, true);
      const res = await login(ana);
      assert.equal(res.status, 200);
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: ana.token })).status, 401);
      assert.equal(
        (await s.request('GET', '/api/v1/users/me', { token: res.body.access_token })).status,
        200,
      );
      assert.equal((await ops.enableUser(ana.email)).changed, false);
    });

    test('when no user has that id or email, then the command says so', async () => {
      for (const ref of ['nobody@example.com', '00000000-0000-4000-8000-000000000000']) {
        await assert.rejects(ops.disableUser(ref), (err: Error) => {
          assert.ok(err instanceof OperatorError);
          assert.equal(err.code, 'user_not_found');
          assert.match(err.message, new RegExp(ref));
          return true;
        });
      }
    });

    test('when deleting without confirmation, then it refuses, says what would go and deletes nothing', async () => {
      const before = await rowsOf(ana.id);
      await assert.rejects(ops.deleteUser(ana.email, { confirmed: false }), (err: Error) => {
        assert.ok(err instanceof OperatorError);
        assert.equal(err.code, 'confirmation_required');
        assert.match(err.message, /2 resume\(s\), 3 application\(s\) and 3 document\(s\)/);
        assert.match(err.message, /--yes/);
        return true;
      });
      assert.deepEqual(await rowsOf(ana.id), before);
    });

    test("when deleting with confirmation, then the user's rows are gone from every table and the other user keeps theirs", async () => {
      const bensBefore = await rowsOf(ben.id);
      const r = await ops.deleteUser(ana.id, { confirmed: true });
      assert.deepEqual(r.removed, { resumes: 2, applications: 3, documents: 3 });
      const left = await rowsOf(ana.id);
      assert.ok(Object.keys(left).length >= 9);
      for (const [table, n] of Object.entries(left)) assert.equal(n, 0, table);
      assert.deepEqual(await rowsOf(ben.id), bensBefore);
      assert.equal((await login(ana)).status, 401);
      assert.deepEqual(
        (await ops.listUsers()).map((u) => u.email),
        [ben.email],
      );
    });
  });
}
