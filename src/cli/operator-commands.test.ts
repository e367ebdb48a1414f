import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, dbKinds, type TestDatabase } from '../../test/helpers/databases.ts';
import { databaseEnv, runJobforge } from '../../test/helpers/jobforge-process.ts';
import { openMigratedDatabase, seedTenantRows, seedUser } from '../../test/helpers/tenant-data.ts';

/**
 * The commands as an operator types them: real processes, configuration from the environment.
 * The logic is tested in-process on both databases (src/server/ops); this checks the wiring,
 * output and exit codes along the path a laptop user takes to a server: back up the embedded
 * database, restore into PostgreSQL, administer users there. Each process costs a TypeScript
 * start-up, so there are few of them.
 */
const kinds = dbKinds();
const from = kinds[0]!;
const to = kinds.at(-1)!;

describe(`jobforge backup, restore and user commands (${from} → ${to})`, () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dir: string;
  let email: string;
  const file = () => path.join(dir, 'backup.jsonl.gz');

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-cli-'));
    const m = await openMigratedDatabase(from);
    const id = await seedUser(m.db, 'cli');
    await seedTenantRows(m.db, id, 2);
    email = await m.db.asOwner(async (tx) => {
      const { rows } = await tx.query<{ email: string }>('SELECT email FROM users');
      return rows[0]!.email;
    });
    await m.db.close(); // the embedded database admits one process at a time
    source = m.test;
    target = await createTestDatabase(to);
  });
  after(async () => {
    await source.drop();
    await target.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('when backing up, then it prints a one-line summary with the rows per table', async () => {
    const r = await runJobforge(['backup', file()], databaseEnv(source.config));
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /^Backed up \d+ rows \(schema \d+\) to .*: users 1, sessions 1, /m);
  });

  test('when restoring into a new database, then it migrates, loads and prints a one-line summary', async () => {
    const r = await runJobforge(['restore', file()], databaseEnv(target.config));
    assert.equal(r.code, 0, r.output);
    assert.match(
      r.output,
      new RegExp(
        `^Restored \\d+ rows \\(schema \\d+, backed up from ${from} at .*: users 1, `,
        'm',
      ),
    );
  });

  test('when listing users as JSON, then the restored user comes with counts', async () => {
    const r = await runJobforge(['user', 'list', '--json'], databaseEnv(target.config));
    assert.equal(r.code, 0, r.output);
    const users = JSON.parse(r.output);
    assert.deepEqual(
      users.map((u: any) => [u.email, u.active, u.resumes, u.applications]),
      [[email, true, 2, 2]],
    );
  });

  test('when deleting without --yes, then it refuses with exit code 1 and says what would go', async () => {
    const r = await runJobforge(['user', 'delete', email], databaseEnv(target.config));
    assert.equal(r.code, 1);
    assert.match(r.output, /^jobforge: Deleting .* 2 resume\(s\), 2 application\(s\).*--yes/m);
  });
});
