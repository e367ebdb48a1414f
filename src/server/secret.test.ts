import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from './config.ts';
import { resolveSecret } from './secret.ts';

describe('the signing secret', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-secret-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));
  const fresh = () => fs.mkdtemp(path.join(dir, 'data-'));

  test('when JOBFORGE_SECRET is set, then it is used and no file is written', async () => {
    const data = await fresh();
    const configured = 'c'.repeat(40);
    assert.equal(await resolveSecret(configured, data), configured);
    await assert.rejects(fs.stat(path.join(data, 'secret')), { code: 'ENOENT' });
  });

  test('when there is no secret file, then one is generated (mode 0600) and kept', async () => {
    const data = await fresh();
    const first = await resolveSecret(undefined, data);
    assert.ok(first.length >= 32);
    const stat = await fs.stat(path.join(data, 'secret'));
    assert.equal(stat.mode & 0o777, 0o600);
    assert.equal(await resolveSecret(undefined, data), first, 'the same one after a restart');
  });

  test('when the secret file holds fewer than 32 characters, then start-up stops with instructions and the file is left as it was', async () => {
    const data = await fresh();
    const file = path.join(data, 'secret');
    for (const short of ['', 'too-short', 'x'.repeat(31)]) {
      await fs.writeFile(file, `${short}\n`, { mode: 0o600 });
      await assert.rejects(
        resolveSecret(undefined, data),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message.includes(`holds a secret of ${short.length} characters; at least 32`) &&
          /set JOBFORGE_SECRET, or delete the file/.test(err.message),
      );
      assert.equal(await fs.readFile(file, 'utf8'), `${short}\n`, 'never replaced silently');
    }
    await fs.writeFile(file, `${'y'.repeat(32)}\n`);
    assert.equal(await resolveSecret(undefined, data), 'y'.repeat(32));
  });
});
