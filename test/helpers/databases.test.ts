import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parseDbKinds } from './databases.ts';

describe('JOBFORGE_TEST_DATABASES', () => {
  test('when it is unset, then every database test runs on both databases', () => {
    assert.deepEqual(parseDbKinds(undefined), ['pglite', 'postgres']);
  });

  test('when it names one or both databases, then exactly those run', () => {
    assert.deepEqual(parseDbKinds('pglite'), ['pglite']);
    assert.deepEqual(parseDbKinds(' postgres , pglite '), ['postgres', 'pglite']);
    assert.deepEqual(parseDbKinds('postgres,postgres'), ['postgres']);
  });

  test('when it is empty or names an unknown database, then it is refused, never read as none', () => {
    for (const raw of ['', ' ', 'pglite,', 'sqlite', 'pglite,postgress', 'PGlite']) {
      assert.throws(
        () => parseDbKinds(raw),
        /expected a comma-separated list of pglite and postgres/,
      );
    }
  });

  test('when npm test is given an unknown value, then it stops before running any test', () => {
    const run = spawnSync(process.execPath, ['scripts/test.js', 'databases.test'], {
      env: { ...process.env, JOBFORGE_TEST_DATABASES: 'postgress' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /JOBFORGE_TEST_DATABASES="postgress": expected/);
    assert.doesNotMatch(run.stdout, /passed/);
  });
});
