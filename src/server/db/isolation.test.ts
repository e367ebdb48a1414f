import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import {
  openMigratedDatabase,
  seedTenantRows,
  seedUser,
  tenantTables,
  type MigratedDatabase,
} from '../../../test/helpers/tenant-data.ts';

/**
 * Database-level isolation: raw SQL as the runtime role inside db.withUser, with no WHERE
 * clauses, so that only row-level security stands between users. The tables come from the
 * catalog: a new tenant table is covered (or fails the seed check) without editing this file.
 */
for (const kind of dbKinds()) {
  describe(`row-level security isolation (${kind})`, () => {
    let m: MigratedDatabase;
    let tables: { name: string; owner: string }[];
    let a: string;
    let b: string;

    /** Every row of the table as the owner sees it, for one user. */
    const ownerView = (table: { name: string; owner: string }, userId: string) =>
      m.db.asOwner(async (tx) => {
        const { rows } = await tx.query<{ row: Record<string, unknown> }>(
          `SELECT to_jsonb(t) AS row FROM ${table.name} t WHERE ${table.owner} = $1 ORDER BY 1::text`,
          [userId],
        );
        return rows.map((r) => JSON.stringify(r.row)).sort();
      });

    before(async () => {
      m = await openMigratedDatabase(kind);
      a = await seedUser(m.db, 'alice');
      b = await seedUser(m.db, 'bob');
      await seedTenantRows(m.db, a, 2);
      await seedTenantRows(m.db, b, 2);
      tables = await tenantTables(m.db);
    });
    after(() => m.drop());

    test('when the catalog lists the tenant tables, then the seed gave both users rows in each', async () => {
      assert.ok(tables.length >= 9, tables.map((t) => t.name).join(', '));
      for (const t of tables) {
        for (const user of [a, b]) {
          assert.ok(
            (await ownerView(t, user)).length > 0,
            `seed rows for ${t.name} in test/helpers/tenant-data.ts`,
          );
        }
      }
    });

    test('when a user selects with no WHERE, then they see exactly their own rows in every table', async () => {
      for (const t of tables) {
        const own = await ownerView(t, a);
        const seen = await m.db.withUser(a, (tx) =>
          tx.query<{ owner: string }>(`SELECT ${t.owner}::text AS owner FROM ${t.name}`),
        );
        assert.equal(seen.rows.length, own.length, t.name);
        assert.ok(
          seen.rows.every((r) => r.owner === a),
          `${t.name}: another user's row is visible`,
        );
      }
    });

    test("when a user updates with no WHERE, then only their rows change and the other user's stay as they were", async () => {
      for (const t of tables) {
        const theirs = await ownerView(t, b);
        const own = await ownerView(t, a);
        const r = await m.db.withUser(a, (tx) =>
          tx.query(`UPDATE ${t.name} SET ${t.owner} = ${t.owner}`),
        );
        assert.equal(r.rowCount, own.length, t.name);
        assert.deepEqual(await ownerView(t, b), theirs, t.name);
      }
    });

    test('when a user deletes with no WHERE, then only their rows are touched', async () => {
      class Rollback extends Error {}
      for (const t of tables) {
        const theirs = await ownerView(t, b);
        const own = await ownerView(t, a);
        let deleted = -1;
        await assert.rejects(
          m.db.withUser(a, async (tx) => {
            deleted = (await tx.query(`DELETE FROM ${t.name}`)).rowCount;
            throw new Rollback();
          }),
          Rollback,
        );
        assert.equal(deleted, own.length, t.name);
        assert.deepEqual(await ownerView(t, b), theirs, t.name);
      }
    });

    test("when a user inserts a row carrying the other user's id, then row-level security refuses it (42501)", async () => {
      for (const t of tables) {
        const columns = await m.db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ name: string }>(
            `SELECT attname AS name FROM pg_attribute
              WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
            [t.name],
          );
          return rows.map((r) => r.name);
        });
        const copy = await m.db.withUser(a, async (tx) => {
          const { rows } = await tx.query<{ row: Record<string, unknown> }>(
            `SELECT to_jsonb(t) AS row FROM ${t.name} t LIMIT 1`,
          );
          return rows[0]!.row;
        });
        // A fresh key, so that nothing but the policy can object.
        if ('id' in copy) copy.id = randomUUID();
        if ('token_hash' in copy) copy.token_hash = `\\x${randomBytes(32).toString('hex')}`;
        copy[t.owner] = b;
        await assert.rejects(
          m.db.withUser(a, (tx) =>
            tx.query(
              `INSERT INTO ${t.name} (${columns.join(', ')})
               SELECT ${columns.join(', ')} FROM jsonb_populate_record(null::${t.name}, $1::jsonb)`,
              [JSON.stringify(copy)],
            ),
          ),
          (err: { code?: string; message: string }) => {
            assert.equal(err.code, '42501', `${t.name}: ${err.message}`);
            assert.match(err.message, /row-level security/);
            return true;
          },
        );
      }
    });

    test('when there is no user context, then every tenant table reads as empty, without an error', async () => {
      await m.db.withUser(null, async (tx) => {
        for (const t of tables) {
          const { rows } = await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${t.name}`,
          );
          assert.equal(rows[0]!.n, 0, t.name);
        }
      });
    });

    test('when a connection served one user, then the next transaction on it carries no context', async () => {
      const first = await m.db.withUser(a, async (tx) => {
        const { rows } = await tx.query<{ pid: number; n: number }>(
          'SELECT pg_backend_pid() AS pid, (SELECT count(*)::int FROM users) AS n',
        );
        return rows[0]!;
      });
      assert.equal(first.n, 1);
      // The pool hands back the most recently released connection: the same backend.
      const next = await m.db.withUser(null, async (tx) => {
        const { rows } = await tx.query<{ pid: number; setting: string; role: string }>(
          `SELECT pg_backend_pid() AS pid, current_setting('app.current_user_id', true) AS setting,
                  current_user AS role`,
        );
        const counts: number[] = [];
        for (const t of tables) {
          const c = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name}`);
          counts.push(c.rows[0]!.n);
        }
        return { ...rows[0]!, counts };
      });
      assert.equal(next.pid, first.pid, 'the test needs the same connection twice');
      assert.equal(next.setting, '');
      assert.equal(next.role, 'jobforge_app');
      assert.ok(next.counts.every((n) => n === 0));
      // And after a failed transaction, too.
      await assert.rejects(
        m.db.withUser(a, (tx) => tx.query('SELECT 1/0')),
        /division by zero/,
      );
      const afterError = await m.db.withUser(null, (tx) =>
        tx.query<{ n: number }>('SELECT count(*)::int AS n FROM users'),
      );
      assert.equal(afterError.rows[0]!.n, 0);
    });

    test("when a user deletes everything they can reach, then the other user's data is all still there", async () => {
      const before = await Promise.all(tables.map((t) => ownerView(t, b)));
      await m.db.withUser(a, async (tx) => {
        for (const t of [...tables].reverse()) await tx.query(`DELETE FROM ${t.name}`);
      });
      for (const [i, t] of tables.entries()) {
        assert.deepEqual(await ownerView(t, a), [], t.name);
        assert.deepEqual(await ownerView(t, b), before[i], t.name);
      }
    });
  });
}
