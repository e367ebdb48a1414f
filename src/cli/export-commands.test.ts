import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { dbKinds, type TestDatabase } from '../../test/helpers/databases.ts';
import { databaseEnv, runJobforge } from '../../test/helpers/jobforge-process.ts';
import { openMigratedDatabase, seedTenantRows, seedUser } from '../../test/helpers/tenant-data.ts';

const run = promisify(execFile);

/** `jobforge export` as an operator types it; the rendering itself is tested in src/server/exports. */
describe(`jobforge export (${dbKinds()[0]!})`, () => {
  let source: TestDatabase;
  let dir: string;
  let app: { id: string; name: string };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-cli-export-'));
    const m = await openMigratedDatabase(dbKinds()[0]!);
    await seedTenantRows(m.db, await seedUser(m.db, 'cli'), 1);
    app = await m.db.asOwner(async (tx) => {
      const { rows } = await tx.query<{ id: string; name: string }>(
        'SELECT id, name FROM applications',
      );
      return rows[0]!;
    });
    await m.db.close(); // the embedded database admits one process at a time
    source = m.test;
  });
  after(async () => {
    await source.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('when exporting an application by name, then its packet is written with the frozen page', async () => {
    const r = await runJobforge(['export', app.name, '--out', dir], databaseEnv(source.config));
    assert.equal(r.code, 0, r.output);
    const written = /^Wrote (.*\.zip) \(\d+ bytes\)\.$/m.exec(r.output)?.[1];
    assert.ok(written, r.output);
    const zip = await JSZip.loadAsync(await fs.readFile(written));
    assert.ok(zip.file('posting/original.html'));
    assert.ok(zip.file('manifest.json'));
    assert.equal(
      Object.keys(zip.files).filter((n) => n.startsWith('documents/') && n.includes('cover_letter'))
        .length,
      3,
    );
  });

  test('when exporting one document as PDF by id, then pdftotext reads its text', async () => {
    const r = await runJobforge(
      ['export', app.id, '--type', 'cover_letter', '--format', 'pdf', '--out', dir],
      databaseEnv(source.config),
    );
    assert.equal(r.code, 0, r.output);
    const written = /^Wrote (.*\.pdf) /m.exec(r.output)?.[1];
    assert.ok(written, r.output);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', written, '-']);
    assert.match(stdout, /Dear Acme, Zoë Łukasz/);
  });

  test('when the application or format is unknown, then exit code 1 and a sentence', async () => {
    const missing = await runJobforge(['export', 'no_such_app'], databaseEnv(source.config));
    assert.equal(missing.code, 1);
    assert.match(
      missing.output,
      /^jobforge: No application matches "no_such_app" \(by id, company or role\)\.$/m,
    );
    const bad = await runJobforge(
      ['export', app.id, '--type', 'cover_letter', '--format', 'rtf'],
      databaseEnv(source.config),
    );
    assert.equal(bad.code, 1);
    assert.match(bad.output, /Unknown format "rtf"/);
  });
});
