import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, dbKinds, type TestDatabase } from '../../../test/helpers/databases.ts';
import type { Database } from './database.ts';
import { openDatabase } from './index.ts';
import { MIGRATIONS_DIR, migrate, readMigrations, schemaVersion } from './migrate.ts';

/** The real migrations plus one that creates a table and then fails. */
async function migrationsWithBrokenLast(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-migrations-'));
  for (const f of await fs.readdir(MIGRATIONS_DIR)) {
    await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  }
  await fs.writeFile(
    path.join(dir, '9999_broken_on_purpose.sql'),
    'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n',
  );
  return dir;
}

const exists = (db: Database, name: string) =>
  db.asOwner(async (tx) => {
    const { rows } = await tx.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
      name,
    ]);
    return rows[0]?.t !== null;
  });

const appliedVersions = (db: Database) =>
  db.asOwner(async (tx) => {
    const { rows } = await tx.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return rows.map((r) => r.version);
  });

for (const kind of dbKinds()) {
  describe(`migrations (${kind})`, () => {
    let t: TestDatabase;
    let db: Database;
    let brokenDir: string;
    before(async () => {
      t = await createTestDatabase(kind);
      db = await openDatabase(t.config.database);
      brokenDir = await migrationsWithBrokenLast();
    });
    after(async () => {
      await db.close();
      await t.drop();
      await fs.rm(brokenDir, { recursive: true, force: true });
    });

    test('when any migration of a first run fails, then nothing at all is left behind and the error names the file', async () => {
      await assert.rejects(migrate(db, brokenDir), /Migration 9999_broken_on_purpose failed/);
      for (const table of ['users', 'schema_migrations', 'half_done']) {
        assert.equal(await exists(db, table), false, `${table} must not exist`);
      }
      assert.equal(await schemaVersion(db), 0);
    });

    test('when migrating an empty database, then every migration applies once and is recorded', async () => {
      const all = await readMigrations();
      const applied = await migrate(db);
      assert.deepEqual(
        applied.map((m) => m.version),
        all.map((m) => m.version),
      );
      assert.deepEqual(
        await appliedVersions(db),
        all.map((m) => m.version),
      );
      assert.equal(await schemaVersion(db), all.at(-1)!.version);
    });

    test('when migrating again, then nothing is applied', async () => {
      assert.deepEqual(await migrate(db), []);
    });

    test('when a later migration fails, then it rolls back entirely and the earlier ones stay', async () => {
      const before = await appliedVersions(db);
      await assert.rejects(migrate(db, brokenDir), (err: Error) => {
        assert.match(err.message, /9999_broken_on_purpose/);
        assert.match(err.message, /no_such_function/);
        return true;
      });
      assert.equal(await exists(db, 'half_done'), false);
      assert.deepEqual(await appliedVersions(db), before);
    });

    if (kind === 'postgres') {
      test('when two instances migrate one server database at once, then each migration applies exactly once', async () => {
        const fresh = await createTestDatabase('postgres');
        const [a, b] = [
          await openDatabase(fresh.config.database),
          await openDatabase(fresh.config.database),
        ];
        try {
          const results = await Promise.all([migrate(a), migrate(b)]);
          const all = await readMigrations();
          assert.equal(results[0].length + results[1].length, all.length);
          assert.deepEqual(
            await appliedVersions(a),
            all.map((m) => m.version),
          );
        } finally {
          await Promise.all([a.close(), b.close()]);
          await fresh.drop();
        }
      });
    }
  });
}
