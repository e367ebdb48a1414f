import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createTestDatabase, dbKinds, type DbKind } from '../../../test/helpers/databases.ts';
import { buildApp } from '../app.ts';
import { createTenant, type AuthContext } from '../auth/tenant.ts';
import { TokenService } from '../auth/tokens.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { DatabaseFailure, TRANSACTION_ATTEMPTS, type Database, type Tx } from './database.ts';
import { openDatabase } from './index.ts';
import { migrate } from './migrate.ts';

const SECRET = 'transactions-test-secret-'.padEnd(40, 'x');
const STATEMENT_TIMEOUT_MS = 300;
const DESCRIPTION = 'Registered nurse for a busy surgical ward, nights and weekends.';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A real server (its routes, error handler and tenant()) on a fresh database, plus two
 * test-only routes: one sleeping in the database inside tenant(), one whose transaction always
 * meets a concurrent update under REPEATABLE READ (a real 40001 on every attempt).
 */
async function serve(kind: DbKind) {
  const t = await createTestDatabase(kind, {
    JOBFORGE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
  });
  const db = await openDatabase(t.config.database);
  await migrate(db);
  const app: FastifyInstance = await buildApp({
    config: t.config,
    db,
    secret: SECRET,
    logger: false,
  });
  const tokens = new TokenService(SECRET, t.config.accessTokenTtl, t.config.refreshTokenTtl);
  const tenant = createTenant(db);
  app.get('/test/sleep', { onRequest: authenticate(tokens) }, async (req) => {
    const seconds = Number((req.query as { seconds: string }).seconds);
    await tenant(authOf(req), (tx) => tx.query('SELECT pg_sleep($1)', [seconds]));
    return { slept: seconds };
  });
  app.post('/test/always-conflicting/:id', { onRequest: authenticate(tokens) }, async (req) => {
    const { id } = req.params as { id: string };
    await db.asOwner((tx) => conflictingUpdate(db, tx, authOf(req).userId, id));
    return { updated: id };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const register = async () => {
    const res = await fetch(`${url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `tx-${Math.random().toString(36).slice(2)}@example.com`,
        password: 'correct horse battery',
        first_name: 'Tess',
        last_name: 'Action',
        client: 'api',
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = (await res.json()) as { access_token: string };
    const auth = await tokens.verifyAccess(body.access_token);
    assert.ok(auth);
    return { token: body.access_token, auth };
  };
  return {
    db,
    url,
    tenant,
    runtimeUrl: t.config.database.kind === 'postgres' ? t.config.database.url : '',
    register,
    async stop() {
      await app.close();
      await db.close();
      await t.drop();
    },
  };
}

async function createApplication(db: Database, userId: string, name: string): Promise<string> {
  const { rows } = await db.withUser(userId, (tx) =>
    tx.query<{ id: string }>(
      `INSERT INTO applications (user_id, name, company_name, role_title, job_description)
       VALUES ($1, $2, 'Acme', 'Nurse', $3) RETURNING id`,
      [userId, name, DESCRIPTION],
    ),
  );
  return rows[0]!.id;
}

/**
 * Under REPEATABLE READ: read the row (the snapshot is taken), let another transaction update
 * and commit it, then update it ourselves: PostgreSQL answers 40001 (could not serialize access
 * due to concurrent update).
 */
async function conflictingUpdate(db: Database, tx: Tx, userId: string, id: string) {
  await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  await tx.query('SELECT notes FROM applications WHERE id = $1', [id]);
  await db.withUser(userId, (other) =>
    other.query(`UPDATE applications SET notes = notes || 'o' WHERE id = $1`, [id]),
  );
  await tx.query(`UPDATE applications SET notes = notes || 't' WHERE id = $1`, [id]);
}

const notesOf = async (db: Database, id: string) =>
  (
    await db.asOwner((tx) =>
      tx.query<{ notes: string }>('SELECT notes FROM applications WHERE id = $1', [id]),
    )
  ).rows[0]!.notes;

for (const kind of dbKinds()) {
  describe(`transactions: retries and statement timeout (${kind})`, () => {
    let s: Awaited<ReturnType<typeof serve>>;
    let user: { token: string; auth: AuthContext };

    before(async () => {
      s = await serve(kind);
      user = await s.register();
    });
    after(() => s.stop());

    test('when a transaction fails on a constraint, then it is not retried and the error is the database’s own', async () => {
      const id = await createApplication(s.db, user.auth.userId, 'unique');
      let runs = 0;
      await assert.rejects(
        s.tenant(user.auth, async (tx) => {
          runs++;
          await tx.query(
            `INSERT INTO applications (id, user_id, name, company_name, role_title, job_description)
             VALUES ($1, $2, 'dup', 'Acme', 'Nurse', $3)`,
            [id, user.auth.userId, DESCRIPTION],
          );
        }),
        (err: { code?: string }) => err.code === '23505',
      );
      assert.equal(runs, 1);
    });

    if (kind === 'pglite') {
      test('when a tenant statement outlasts JOBFORGE_STATEMENT_TIMEOUT_MS on PGlite, then it completes (PGlite cannot interrupt a statement)', async () => {
        const seconds = (STATEMENT_TIMEOUT_MS * 2) / 1000;
        const res = await fetch(`${s.url}/test/sleep?seconds=${seconds}`, {
          headers: { authorization: `Bearer ${user.token}` },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { slept: seconds });
      });
      return;
    }

    test('when two tenant transactions lock two rows in opposite orders, then the deadlock victim is re-run and both commit', async () => {
      const first = await createApplication(s.db, user.auth.userId, 'first');
      const second = await createApplication(s.db, user.auth.userId, 'second');
      const runs = { a: 0, b: 0 };
      const aHolds = deferred();
      const bHolds = deferred();
      const touch = (tx: Tx, id: string, mark: string) =>
        tx.query('UPDATE applications SET notes = notes || $2 WHERE id = $1', [id, mark]);
      // Only the first run of each waits for the other: a re-run goes straight through. The
      // deadlock detector looks after deadlock_timeout (1 s), beyond this suite's statement limit.
      const a = s.tenant(user.auth, async (tx) => {
        runs.a++;
        await tx.query('SET LOCAL statement_timeout = 0');
        await touch(tx, first, 'a');
        if (runs.a === 1) {
          aHolds.resolve();
          await bHolds.promise;
        }
        await touch(tx, second, 'a');
        return 'a';
      });
      const b = s.tenant(user.auth, async (tx) => {
        runs.b++;
        await tx.query('SET LOCAL statement_timeout = 0');
        await touch(tx, second, 'b');
        if (runs.b === 1) {
          bHolds.resolve();
          await aHolds.promise;
        }
        await touch(tx, first, 'b');
        return 'b';
      });
      assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
      // PostgreSQL rolled one of them back with 40P01; that one ran twice.
      assert.equal(runs.a + runs.b, 3);
      for (const id of [first, second]) {
        assert.deepEqual([...(await notesOf(s.db, id))].sort(), ['a', 'b']);
      }
    });

    test('when a REPEATABLE READ transaction meets a concurrent update once, then it is re-run and succeeds', async () => {
      const id = await createApplication(s.db, user.auth.userId, 'serial');
      let runs = 0;
      await s.db.asOwner(async (tx) => {
        runs++;
        if (runs === 1) return conflictingUpdate(s.db, tx, user.auth.userId, id);
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await tx.query(`UPDATE applications SET notes = notes || 't' WHERE id = $1`, [id]);
      });
      assert.equal(runs, 2);
      // The first run's own update was rolled back; the other transaction's and the re-run's stay.
      assert.equal(await notesOf(s.db, id), 'ot');
    });

    test(`when every attempt meets a serialization failure, then it gives up after ${TRANSACTION_ATTEMPTS} runs with a busy DatabaseFailure`, async () => {
      const id = await createApplication(s.db, user.auth.userId, 'hopeless');
      let runs = 0;
      await assert.rejects(
        s.db.asOwner(async (tx) => {
          runs++;
          await conflictingUpdate(s.db, tx, user.auth.userId, id);
        }),
        (err: unknown) => {
          assert.ok(err instanceof DatabaseFailure);
          assert.equal(err.reason, 'busy');
          assert.equal(err.attempts, TRANSACTION_ATTEMPTS);
          assert.equal((err.cause as { code?: string }).code, '40001');
          return true;
        },
      );
      assert.equal(runs, TRANSACTION_ATTEMPTS);
      assert.equal(await notesOf(s.db, id), 'o'.repeat(TRANSACTION_ATTEMPTS));
    });

    test('when a request’s transaction keeps conflicting, then it answers 503 database_busy with Retry-After', async () => {
      const id = await createApplication(s.db, user.auth.userId, 'over http');
      const res = await fetch(`${s.url}/test/always-conflicting/${id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}` },
      });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'database_busy');
      assert.doesNotMatch(body.error.message, /serializ|40001/i);
    });

    test('when a tenant statement outlasts JOBFORGE_STATEMENT_TIMEOUT_MS, then the request answers 503 database_timeout and the next one works', async () => {
      const slow = await fetch(
        `${s.url}/test/sleep?seconds=${(STATEMENT_TIMEOUT_MS * 20) / 1000}`,
        {
          headers: { authorization: `Bearer ${user.token}` },
        },
      );
      assert.equal(slow.status, 503);
      assert.ok(Number(slow.headers.get('retry-after')) >= 1);
      const body = (await slow.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'database_timeout');
      assert.doesNotMatch(body.error.message, /statement|cancel/i);
      // Well under the limit, on the same pool: the timed-out connection went back clean.
      const quick = await fetch(`${s.url}/test/sleep?seconds=0`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      assert.equal(quick.status, 200);
      const shown = await s.tenant(user.auth, (tx) =>
        tx.query<{ statement_timeout: string }>('SHOW statement_timeout'),
      );
      assert.equal(shown.rows[0]?.statement_timeout, `${STATEMENT_TIMEOUT_MS}ms`);
    });

    test('when the server ends a connection while its transaction is between two queries, then the transaction fails as unavailable, the process lives on and the next one works', async () => {
      let backendGone = false;
      await assert.rejects(
        s.tenant(user.auth, async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          const pid = rows[0]!.pid;
          // A session of the same login role, not switched to jobforge_app, may end this one.
          const other = new pg.Client({ connectionString: s.runtimeUrl });
          await other.connect();
          try {
            await other.query('SELECT pg_terminate_backend($1)', [pid]);
            while (!backendGone) {
              const left = await other.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1',
                [pid],
              );
              backendGone = left.rows[0]!.n === 0;
            }
          } finally {
            await other.end();
          }
          // The connection's 'error' event arrives now, while no query is running on it: with
          // no listener of ours it would be an uncaught exception.
          await new Promise((r) => setTimeout(r, 100));
          await tx.query('SELECT 1');
        }),
        (err: unknown) => err instanceof DatabaseFailure && err.reason === 'unavailable',
      );
      assert.equal(backendGone, true);
      const { rows } = await s.tenant(user.auth, (tx) => tx.query<{ n: number }>('SELECT 1 AS n'));
      assert.equal(rows[0]?.n, 1);
    });

    test('when an operator transaction runs, then the tenant statement timeout does not apply to it', async () => {
      const shown = await s.db.asOwner((tx) =>
        tx.query<{ statement_timeout: string }>('SHOW statement_timeout'),
      );
      assert.notEqual(shown.rows[0]?.statement_timeout, `${STATEMENT_TIMEOUT_MS}ms`);
    });
  });
}
