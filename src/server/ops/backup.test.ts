import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createTestDatabase, dbKinds, type DbKind } from '../../../test/helpers/databases.ts';
import {
  AWKWARD_TEXT,
  openMigratedDatabase,
  seedTenantRows,
  seedUser,
  type MigratedDatabase,
} from '../../../test/helpers/tenant-data.ts';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/index.ts';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../db/migrate.ts';
import { backupTables, dependencyOrder } from './backup.repository.ts';
import { backupDatabase, migrateAndRestore, restoreDatabase } from './backup.service.ts';
import { OperatorError } from './errors.ts';

/**
 * Every backed-up table as the owner sees it, read independently of the code under test
 * (information_schema rather than pg_catalog): rows in primary-key order, generated columns
 * left out, timestamps in UTC, embeddings as plain number arrays whatever their column type.
 */
async function snapshot(db: Database): Promise<Record<string, unknown[]>> {
  return db.asOwner(async (tx) => {
    await tx.exec("SET LOCAL TimeZone = 'UTC'");
    const { rows: tables } = await tx.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND table_name NOT IN ('schema_migrations', 'auth_throttle')
        ORDER BY table_name`,
    );
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      const { rows: generated } = await tx.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'ALWAYS'`,
        [name],
      );
      const { rows: pk } = await tx.query<{ column_name: string }>(
        `SELECT k.column_name FROM information_schema.table_constraints c
           JOIN information_schema.key_column_usage k
             ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
          WHERE c.table_schema = 'public' AND c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY'
          ORDER BY k.ordinal_position`,
        [name],
      );
      const { rows } = await tx.query<{ row: Record<string, unknown> }>(
        `SELECT to_jsonb(t) - $1::text[] AS row FROM ${name} t
          ORDER BY ${pk.map((p) => p.column_name).join(', ')}`,
        [generated.map((g) => g.column_name)],
      );
      out[name] = rows.map(({ row }) =>
        typeof row.embedding === 'string'
          ? { ...row, embedding: JSON.parse(row.embedding) as unknown }
          : row,
      );
    }
    return out;
  });
}

const emptyAll = (db: Database) =>
  // Every table cascades from users.
  db.asOwner((tx) => tx.exec('DELETE FROM users'));

async function rewriteBackup(
  from: string,
  to: string,
  edit: (lines: string[]) => string[],
): Promise<void> {
  const lines = gunzipSync(await fs.readFile(from))
    .toString('utf8')
    .trimEnd()
    .split('\n');
  await fs.writeFile(to, gzipSync(`${edit(lines).join('\n')}\n`));
}

describe('backup and restore', () => {
  const sources = new Map<DbKind, { m: MigratedDatabase; file: string }>();
  const targets = new Map<DbKind, MigratedDatabase>();
  let dir: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-backup-test-'));
    for (const kind of dbKinds()) {
      const m = await openMigratedDatabase(kind);
      for (const label of ['ana', 'ben', 'chloé']) {
        await seedTenantRows(m.db, await seedUser(m.db, label), 3);
      }
      await m.db.asOwner((tx) =>
        tx.exec(
          "UPDATE users SET is_active = false WHERE email LIKE 'ben%'; UPDATE sessions SET revoked_at = now(), revoked_reason = 'disabled'",
        ),
      );
      sources.set(kind, { m, file: path.join(dir, `${kind}.jsonl.gz`) });
      targets.set(kind, await openMigratedDatabase(kind));
    }
  });
  after(async () => {
    for (const { m } of sources.values()) await m.drop();
    for (const m of targets.values()) await m.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const kind of dbKinds()) {
    test(`when a ${kind} database is backed up, then the file is a private gzip'd JSON Lines file with a header, every row and an end marker`, async () => {
      const { m, file } = sources.get(kind)!;
      // A page size of 2 makes every table span several keyset pages.
      const summary = await backupDatabase(m.db, file, { pageSize: 2 });
      const lines = gunzipSync(await fs.readFile(file))
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      const head = lines[0];
      assert.equal(head.format, 'jobforge-backup');
      assert.equal(head.version, 1);
      assert.equal(head.database, kind);
      assert.equal(head.schema_version, summary.schemaVersion);
      assert.ok(!Number.isNaN(Date.parse(head.created_at)));
      assert.deepEqual(
        head.tables,
        summary.tables.map((t) => t.name),
      );
      assert.ok(
        !head.tables.includes('schema_migrations') && !head.tables.includes('auth_throttle'),
      );
      const end = lines.at(-1);
      assert.equal(end.end, true);
      for (const t of summary.tables) {
        assert.equal(end.rows[t.name], t.rows);
        assert.equal(lines.filter((l) => l.table === t.name).length, t.rows, t.name);
      }
      assert.equal(end.rows.users, 3);
      assert.equal(end.rows.document_embeddings, 9);
      const resume = lines.find((l) => l.table === 'user_resumes').row;
      assert.equal(resume.search, undefined, 'generated columns are not written');
      assert.ok(resume.content.includes(AWKWARD_TEXT));
      assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(
        (await fs.readdir(dir)).filter((f) => f.includes('partial')),
        [],
      );
    });
  }

  for (const from of dbKinds()) {
    for (const to of dbKinds()) {
      test(`when a ${from} backup is restored into an empty ${to} database, then every table matches row for row`, async () => {
        const source = sources.get(from)!;
        const target = targets.get(to)!;
        try {
          const summary = await restoreDatabase(target.db, source.file, { pageSize: 2 });
          assert.equal(summary.header.database, from);
          const expected = await snapshot(source.m.db);
          for (const [table, rows] of Object.entries(expected)) {
            assert.ok(rows.length > 0, `the seed leaves ${table} empty`);
          }
          assert.deepEqual(await snapshot(target.db), expected);
          // The restored rows are reachable through the runtime role and its policies.
          const user = expected.users![0] as { id: string };
          const resumes = await target.db.withUser(user.id, (tx) =>
            tx.query<{ user_id: string }>('SELECT user_id FROM user_resumes'),
          );
          assert.equal(resumes.rows.length, 2);
        } finally {
          await emptyAll(target.db);
        }
      });
    }
  }

  test('when the target already holds data, then restore refuses and changes nothing', async () => {
    const [kind] = dbKinds();
    const { m, file } = sources.get(kind!)!;
    const before = await snapshot(m.db);
    await assert.rejects(restoreDatabase(m.db, file), (err: Error) => {
      assert.ok(err instanceof OperatorError);
      assert.equal(err.code, 'restore_target_not_empty');
      assert.match(err.message, /already holds data \(in users, sessions/);
      return true;
    });
    assert.deepEqual(await snapshot(m.db), before);
  });

  /** A new database migrated to one version before the latest (the last migration left out). */
  async function openOlderDatabase(kind: DbKind) {
    const test = await createTestDatabase(kind);
    const db = await openDatabase(test.config.database);
    const older = await fs.mkdtemp(path.join(dir, 'older-migrations-'));
    const all = await readMigrations();
    for (const f of (await fs.readdir(MIGRATIONS_DIR)).sort().slice(0, all.length - 1)) {
      await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(older, f));
    }
    await migrate(db, older);
    const versions = () =>
      db.asOwner(async (tx) => {
        const { rows } = await tx.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        return rows.map((r) => r.version);
      });
    assert.deepEqual(
      await versions(),
      all.slice(0, -1).map((m) => m.version),
    );
    return {
      db,
      versions,
      latest: all.at(-1)!.version,
      drop: async () => {
        await db.close();
        await test.drop();
      },
    };
  }

  for (const kind of dbKinds()) {
    test(`when jobforge restore targets an older ${kind} database holding data, then it refuses before migrating it`, async () => {
      const older = await openOlderDatabase(kind);
      try {
        await seedUser(older.db, 'older');
        const before = await older.versions();
        await assert.rejects(migrateAndRestore(older.db, sources.get(kind)!.file), (err: Error) => {
          assert.ok(err instanceof OperatorError);
          assert.equal(err.code, 'restore_target_not_empty');
          assert.match(err.message, /already holds data \(in users\)/);
          return true;
        });
        assert.deepEqual(await older.versions(), before, 'schema_migrations did not change');
      } finally {
        await older.drop();
      }
    });

    test(`when jobforge restore targets an older empty ${kind} database, then it migrates it and restores`, async () => {
      const older = await openOlderDatabase(kind);
      try {
        const summary = await migrateAndRestore(older.db, sources.get(kind)!.file);
        assert.equal(summary.schemaVersion, older.latest);
        assert.equal((await older.versions()).at(-1), older.latest);
        assert.deepEqual(await snapshot(older.db), await snapshot(sources.get(kind)!.m.db));
      } finally {
        await older.drop();
      }
    });
  }

  test('when the backup is from a newer or older schema, then restore refuses and says which', async () => {
    const [kind] = dbKinds();
    const { file } = sources.get(kind!)!;
    const target = targets.get(kind!)!;
    for (const [delta, pattern] of [
      [1, /newer than this Job Forge's/],
      [-1, /older than this Job Forge's.*not supported yet/],
    ] as const) {
      const edited = path.join(dir, `schema${delta}.jsonl.gz`);
      await rewriteBackup(file, edited, ([head, ...rest]) => {
        const h = JSON.parse(head!);
        return [JSON.stringify({ ...h, schema_version: h.schema_version + delta }), ...rest];
      });
      await assert.rejects(restoreDatabase(target.db, edited), pattern);
    }
  });

  test('when the file is cut short, damaged or not a backup, then restore refuses and writes nothing', async () => {
    const [kind] = dbKinds();
    const { file } = sources.get(kind!)!;
    const target = targets.get(kind!)!;
    const noEnd = path.join(dir, 'no-end.jsonl.gz');
    await rewriteBackup(file, noEnd, (lines) => lines.slice(0, -1));
    const dropped = path.join(dir, 'dropped-row.jsonl.gz');
    await rewriteBackup(file, dropped, (lines) => lines.filter((_, i) => i !== lines.length - 2));
    const shuffled = path.join(dir, 'shuffled.jsonl.gz');
    await rewriteBackup(file, shuffled, (lines) => {
      // A resume (nothing references one) moved after the last table: out of order.
      const i = lines.findIndex((l) => l.includes('"table":"user_resumes"'));
      const moved = lines.splice(i, 1);
      return [...lines.slice(0, -1), ...moved, lines.at(-1)!];
    });
    const orphan = path.join(dir, 'orphan.jsonl.gz');
    await rewriteBackup(file, orphan, (lines) =>
      lines.filter((l) => !l.includes('"table":"users"')),
    );
    const truncatedGzip = path.join(dir, 'truncated.jsonl.gz');
    const bytes = await fs.readFile(file);
    await fs.writeFile(truncatedGzip, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const plain = path.join(dir, 'plain.txt');
    await fs.writeFile(plain, 'hello\n');
    const notOurs = path.join(dir, 'not-ours.jsonl.gz');
    await fs.writeFile(notOurs, gzipSync('{"format":"something-else"}\n'));

    for (const [f, pattern] of [
      [noEnd, /ends before its end marker/],
      [dropped, /says \w+ has \d+ rows but \d+ were read/],
      [shuffled, /out of order/],
      [orphan, /Could not restore sessions: .*foreign key.*Nothing was restored/],
      [truncatedGzip, /not a readable gzip file|ends before its end marker/],
      [plain, /not a readable gzip file/],
      [notOurs, /is not a Job Forge backup/],
      [path.join(dir, 'missing.jsonl.gz'), /does not exist/],
    ] as const) {
      await assert.rejects(restoreDatabase(target.db, f), pattern, f);
    }
    const after = await snapshot(target.db);
    assert.ok(
      Object.values(after).every((rows) => rows.length === 0),
      'a refused restore leaves the database empty',
    );
  });

  test('when tables are read from the catalog, then each comes after every table it references', async () => {
    const [kind] = dbKinds();
    const tables = await sources.get(kind!)!.m.db.asOwner(backupTables);
    const names = tables.map((t) => t.name);
    for (const t of tables) {
      for (const ref of t.references) assert.ok(names.indexOf(ref) < names.indexOf(t.name));
    }
    assert.equal(names[0], 'users');
    for (const expected of [
      'sessions',
      'refresh_tokens',
      'user_resumes',
      'applications',
      'application_events',
      'documents',
      'document_versions',
      'document_embeddings',
    ]) {
      assert.ok(names.includes(expected), expected);
    }
    assert.deepEqual(tables.find((t) => t.name === 'user_resumes')!.generated, ['search']);
  });
});

describe('dependency order', () => {
  test('when tables reference each other without a cycle, then referenced tables come first, ties in the given order', () => {
    assert.deepEqual(
      dependencyOrder([
        { name: 'documents', references: ['applications', 'users'] },
        { name: 'users', references: [] },
        { name: 'applications', references: ['users'] },
        { name: 'notes', references: [] },
      ]),
      ['users', 'applications', 'documents', 'notes'],
    );
  });

  test('when foreign keys form a cycle, then it fails naming the tables in the cycle only', () => {
    assert.throws(
      () =>
        dependencyOrder([
          { name: 'users', references: [] },
          { name: 'a', references: ['b', 'users'] },
          { name: 'b', references: ['a'] },
          { name: 'c', references: ['a'] },
        ]),
      (err: Error) => {
        assert.ok(err instanceof OperatorError);
        assert.equal(err.code, 'backup_foreign_key_cycle');
        assert.match(err.message, /between a, b form a cycle/);
        return true;
      },
    );
    assert.throws(
      () => dependencyOrder([{ name: 'tree', references: ['tree'] }]),
      /between tree form a cycle/,
    );
  });
});
