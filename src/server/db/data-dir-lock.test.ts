import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runJobforge } from '../../../test/helpers/jobforge-process.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

// The embedded database only: a PostgreSQL server has no data directory to share.
describe('embedded data directory lock', () => {
  let s: TestServer;
  let user: TestUser;
  let lockFile: string;
  before(async () => {
    s = await startTestServer('pglite');
    user = await s.register();
    lockFile = path.join(path.resolve(s.config.dataDir), 'jobforge.lock');
  });
  after(() => s.stop());

  test('when a second process serves a directory a server holds, then it exits non-zero saying so, and the first keeps serving its data', async () => {
    const second = await runJobforge(['serve'], { JOBFORGE_DATA_DIR: s.config.dataDir });
    assert.notEqual(second.code, 0);
    assert.match(
      second.output,
      new RegExp(`in use by another Job Forge process \\(pid ${process.pid}\\)`),
    );
    assert.equal(JSON.parse(await fs.readFile(lockFile, 'utf8')).pid, process.pid);
    const me = await s.request('GET', '/api/v1/users/me', { token: user.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, user.email);
    assert.equal((await s.request('GET', '/readyz')).status, 200);
    const users = await s.server.db.asOwner((tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM users'),
    );
    assert.equal(users.rows[0]!.n, 1);
  });

  test('when an operator command runs on a directory the server holds, then it says to stop the server first and writes nothing', async () => {
    const file = path.join(os.tmpdir(), `jobforge-locked-${process.pid}.jsonl.gz`);
    const r = await runJobforge(['backup', file], { JOBFORGE_DATA_DIR: s.config.dataDir });
    assert.equal(r.code, 1);
    assert.match(r.output, /in use by another Job Forge process/);
    assert.match(r.output, /stop the server first/);
    await assert.rejects(fs.stat(file), { code: 'ENOENT' });
  });

  test('when the lock file names a live process, then opening fails; when that process is dead, then the lock is taken over', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-lock-'));
    const file = path.join(dir, 'jobforge.lock');
    const lockBy = (pid: number) =>
      fs.writeFile(file, JSON.stringify({ pid, host: os.hostname(), since: new Date() }));
    try {
      await lockBy(process.ppid); // alive: the test runner
      await assert.rejects(acquireDataDirLock(dir), (err: Error) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.equal(err.pid, process.ppid);
        return true;
      });

      const dead = await deadPid();
      await lockBy(dead);
      const release = await acquireDataDirLock(dir);
      assert.equal(JSON.parse(await fs.readFile(file, 'utf8')).pid, process.pid);
      await release();
      await assert.rejects(fs.stat(file), { code: 'ENOENT' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

/** The pid of a process that has exited (and, very likely, not been reused yet). */
async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}
