import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { openMigratedDatabase, type MigratedDatabase } from '../../../test/helpers/tenant-data.ts';
import { assertCatalogSafe, catalogProblems, UnsafeDatabaseError } from './catalog-check.ts';

for (const kind of dbKinds()) {
  describe(`catalog check (${kind})`, () => {
    let m: MigratedDatabase;
    // Each case builds its unsafe table, checks, then drops it, so the next starts clean.
    const withTable = async (ddl: string, check: () => Promise<void>) => {
      await m.db.asOwner((tx) => tx.exec(ddl));
      try {
        await check();
      } finally {
        await m.db.asOwner((tx) =>
          tx.exec('DROP TABLE IF EXISTS unsafe_notes; DROP TABLE IF EXISTS app_owned'),
        );
      }
    };

    before(async () => {
      m = await openMigratedDatabase(kind);
    });
    after(() => m.drop());

    test('when the database is migrated, then the check passes', async () => {
      assert.deepEqual(await catalogProblems(m.db), []);
      await assertCatalogSafe(m.db);
    });

    test('when a table with user_id has no row-level security, then the check fails naming it', async () => {
      await withTable('CREATE TABLE unsafe_notes (id int PRIMARY KEY, user_id uuid)', async () => {
        const problems = await catalogProblems(m.db);
        assert.ok(
          problems.includes('table unsafe_notes does not have row-level security enabled'),
          problems.join('\n'),
        );
        assert.ok(problems.includes('table unsafe_notes does not force row-level security'));
        await assert.rejects(assertCatalogSafe(m.db), (err: Error) => {
          assert.ok(err instanceof UnsafeDatabaseError);
          assert.match(err.message, /Refusing to serve/);
          assert.match(err.message, /unsafe_notes/);
          return true;
        });
      });
    });

    test('when a table enables row-level security without forcing it, then the check fails naming it', async () => {
      await withTable(
        `CREATE TABLE unsafe_notes (id int PRIMARY KEY, user_id uuid);
         ALTER TABLE unsafe_notes ENABLE ROW LEVEL SECURITY;
         CREATE POLICY unsafe_notes_tenant ON unsafe_notes TO jobforge_app
           USING (user_id = (SELECT app_current_user_id()))`,
        async () => {
          assert.deepEqual(await catalogProblems(m.db), [
            'table unsafe_notes does not force row-level security',
          ]);
        },
      );
    });

    test('when a table forces row-level security but has no policy for the runtime role, then the check fails naming it', async () => {
      await withTable(
        `CREATE TABLE unsafe_notes (id int PRIMARY KEY, user_id uuid);
         ALTER TABLE unsafe_notes ENABLE ROW LEVEL SECURITY;
         ALTER TABLE unsafe_notes FORCE ROW LEVEL SECURITY`,
        async () => {
          assert.deepEqual(await catalogProblems(m.db), [
            'table unsafe_notes has no policy for jobforge_app',
          ]);
        },
      );
    });

    test('when the runtime role owns a table, then the check fails naming it', async () => {
      // Since PostgreSQL 15 a new owner needs CREATE on the schema; this database is thrown away.
      await withTable(
        `CREATE TABLE app_owned (id int);
         GRANT CREATE ON SCHEMA public TO jobforge_app;
         ALTER TABLE app_owned OWNER TO jobforge_app;
         REVOKE CREATE ON SCHEMA public FROM jobforge_app`,
        async () => {
          assert.deepEqual(await catalogProblems(m.db), [
            'role jobforge_app owns relation(s) app_owned',
          ]);
        },
      );
      assert.deepEqual(await catalogProblems(m.db), []);
    });
  });
}
