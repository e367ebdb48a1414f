import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { dbKinds } from '../../test/helpers/databases.ts';
import * as pages from '../../test/fixtures/job-pages.ts';
import { databaseEnv } from '../../test/helpers/jobforge-process.ts';
import {
  fakeResolver,
  html,
  startFixtureServer,
  type FixtureServer,
} from '../../test/helpers/outbound.ts';
import { startTestServer, type TestServer, type TestUser } from '../../test/helpers/server.ts';
import { openMigratedDatabase, seedUser } from '../../test/helpers/tenant-data.ts';
import { acquireDataDirLock } from '../server/db/data-dir-lock.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/jobforge.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node bin/jobforge.js …` with stdout and stderr apart (results go to one, reports to the other)
 * and, optionally, something piped on stdin. Database variables of the test runner are blanked:
 * only `env` points the command anywhere.
 */
function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: '',
      JOBFORGE_MIGRATION_DATABASE_URL: '',
      JOBFORGE_DATA_DIR: '',
      JOBFORGE_SERVER_URL: '',
      JOBFORGE_EMAIL: '',
      JOBFORGE_PASSWORD: '',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const kind = dbKinds()[0]!;

const RESUME = `# Mira Okonkwo

Backend engineer · mira@example.com

## Experience

### Quillwork — Senior Engineer (2021–2026)

- Ran the billing service on PostgreSQL for 40,000 customers.
- Cut deploy time from an hour to eight minutes.
`;

/** Against a running server: the commands sign in and use the public API only. */
describe(`jobforge import-job and export --server (${kind})`, () => {
  let s: TestServer;
  let fixtures: FixtureServer;
  let u: TestUser;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-cli-import-'));
    fixtures = await startFixtureServer({
      '/greenhouse': html(pages.greenhouse),
      '/lever': html(pages.lever),
      '/oops': html(pages.notAPosting),
    });
    s = await startTestServer(
      kind,
      {},
      {
        outbound: {
          allowedTargets: [{ address: '127.0.0.1', port: fixtures.port }],
          resolve: fakeResolver(),
        },
      },
    );
    u = await s.register();
    env = { JOBFORGE_EMAIL: u.email, JOBFORGE_PASSWORD: u.password };
  });
  after(async () => {
    await s.stop();
    await fixtures.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('when importing a link, then the draft is printed and nothing is created', async () => {
    const r = await cli(['import-job', fixtures.url('/greenhouse'), '--server', s.url], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Company: Nimbus Labs\nRole: Senior Backend Engineer\nLocation: Berlin, DE\n/,
    );
    assert.match(r.stdout, /\n\n\*\*About us\*\*\n\nNimbus Labs builds weather data APIs/);
    const list = await s.request('GET', '/api/v1/applications', { token: u.token });
    assert.equal(list.body.total, 0);
  });

  test('when importing with --save (server from JOBFORGE_SERVER_URL, password on stdin), then the application exists and the session is closed', async () => {
    const r = await cli(
      ['import-job', fixtures.url('/lever'), '--save', '--email', u.email],
      { JOBFORGE_SERVER_URL: s.url },
      `${u.password}\n`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^Saved application orbit_payments_staff_platform_engineer_\S+ \([0-9a-f-]{36}\)\.$/m,
    );
    const list = await s.request('GET', '/api/v1/applications', { token: u.token });
    assert.deepEqual(
      list.body.items.map((a: any) => [a.company_name, a.role_title, a.location]),
      [['Orbit Payments', 'Staff Platform Engineer', 'Remote (Canada)']],
    );
    const id = list.body.items[0].id;
    const posting = await s.request('GET', `/api/v1/applications/${id}/posting`, {
      token: u.token,
    });
    assert.equal(posting.status, 200, 'the snapshot is kept with the application');
    const sessions = await s.server.db.asOwner((tx) =>
      tx.query<{ open: number }>(
        'SELECT count(*)::int AS open FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
        [u.id],
      ),
    );
    assert.equal(sessions.rows[0]!.open, 1, 'only the session register() opened');
  });

  test('when a saved page is imported from a file with --save --company, then the given company is used', async () => {
    const file = path.join(dir, 'posting.html');
    await fs.writeFile(file, pages.greenhouse.replaceAll('Nimbus Labs', 'Cirrus Data'));
    const r = await cli(
      [
        'import-job',
        file,
        '--url',
        'https://careers.cirrus.test/jobs/7',
        '--save',
        '--company',
        'Cirrus Data GmbH',
        '--json',
        '--server',
        s.url,
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.source, 'json-ld');
    assert.equal(out.application.company_name, 'Cirrus Data GmbH');
    assert.equal(out.application.job_url, 'https://careers.cirrus.test/jobs/7');
  });

  test('when exporting by company, then one document goes to stdout and the packet to a file', async () => {
    const list = await s.request('GET', '/api/v1/applications?q=orbit', { token: u.token });
    const id = list.body.items[0].id;
    const letter = 'Dear Orbit Payments,\n\nI would like to run your platform. Zoë';
    const put = await s.request('PUT', `/api/v1/applications/${id}/documents/cover_letter`, {
      token: u.token,
      body: { content: letter },
    });
    assert.equal(put.status, 201, put.text);

    const md = await cli(
      [
        'export',
        'ORBIT payments',
        '--type',
        'cover_letter',
        '--format',
        'md',
        '--output',
        '-',
        '--server',
        s.url,
      ],
      env,
    );
    assert.equal(md.code, 0, md.stderr);
    assert.ok(md.stdout.includes(letter), md.stdout);
    assert.match(md.stderr, /^Wrote \S+\.md to stdout \(\d+ bytes\)\.$/m);

    const packet = await cli(['export', 'staff platform', '--out', dir, '--server', s.url], env);
    assert.equal(packet.code, 0, packet.stderr);
    const written = /^Wrote (.*\.zip) \(\d+ bytes\)\.$/m.exec(packet.stdout)?.[1];
    assert.ok(written, packet.stdout);
    const zip = await JSZip.loadAsync(await fs.readFile(written));
    assert.ok(zip.file('posting/original.html'));
  });

  test('when a resume file is imported, then its Markdown is printed; with --save it is added; a file of unknown bytes is refused in one line', async () => {
    const file = path.join(dir, 'mira.md');
    await fs.writeFile(file, RESUME);
    const read = await cli(['import-resume', file, '--server', s.url], env);
    assert.equal(read.code, 0, read.stderr);
    assert.match(
      read.stdout,
      /^# Mira Okonkwo\n[\s\S]*- Cut deploy time from an hour to eight minutes\.\n$/,
    );

    const saved = await cli(
      ['import-resume', file, '--save', '--name', 'Backend resume', '--json', '--server', s.url],
      env,
    );
    assert.equal(saved.code, 0, saved.stderr);
    const out = JSON.parse(saved.stdout);
    assert.equal(out.source, 'markdown');
    const got = await s.request('GET', `/api/v1/resumes/${out.resume.id}`, { token: u.token });
    assert.equal(got.body.name, 'Backend resume');
    assert.match(got.body.content, /Ran the billing service/);

    const odd = path.join(dir, 'photo.bin');
    await fs.writeFile(odd, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8]));
    const refused = await cli(['import-resume', odd, '--server', s.url], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^jobforge: [^\n]+\n$/);
  });

  test('when the name fits several applications, the page has no posting or the password is wrong, then exit 1 with a sentence and no stack', async () => {
    const ambiguous = await cli(['export', 'engineer', '--server', s.url], env);
    assert.equal(ambiguous.code, 1);
    assert.match(
      ambiguous.stderr,
      /^jobforge: 2 applications match "engineer"; give the id of one:\n {2}[0-9a-f-]{36} {2}/,
    );

    const none = await cli(['import-job', fixtures.url('/oops'), '--server', s.url], env);
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /^jobforge: No job posting found on the page at .*\/oops: paste the description instead\.\n$/,
    );

    const wrong = await cli(['import-job', fixtures.url('/lever'), '--server', s.url], {
      ...env,
      JOBFORGE_PASSWORD: 'not the password',
    });
    assert.equal(wrong.code, 1);
    assert.equal(
      wrong.stderr,
      `jobforge: Signing in to ${s.url} failed: The email or password is incorrect.\n`,
    );
    assert.doesNotMatch(wrong.stderr, /\bat .*\.ts:\d+/);
  });
});

/** Against the local data directory: the same services in-process, as a named user. */
describe('jobforge import-job and export on the local data directory (pglite)', () => {
  let dataDir: string;
  let email: string;
  let drop: () => Promise<void>;
  let work: string;
  let fixtures: FixtureServer;
  let env: Record<string, string>;

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-cli-local-'));
    fixtures = await startFixtureServer({ '/workday': html(pages.workday) });
    const m = await openMigratedDatabase('pglite');
    const first = await seedUser(m.db, 'local');
    await seedUser(m.db, 'other');
    email = await m.db.asOwner(async (tx) => {
      const { rows } = await tx.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
        first,
      ]);
      return rows[0]!.email;
    });
    await m.db.close(); // the embedded database admits one process at a time
    dataDir = (m.test.config.database as { dataDir: string }).dataDir;
    drop = () => m.test.drop();
    // The operator opens loopback to fetch the fixture page, as an intranet install would.
    env = { ...databaseEnv(m.test.config), JOBFORGE_ALLOW_PRIVATE_URLS: 'true' };
  });
  after(async () => {
    await drop();
    await fixtures.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  test('when several accounts exist and no --user is given, then it asks for one', async () => {
    const r = await cli(['import-job', fixtures.url('/workday')], env);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'jobforge: This database has several accounts: name one with --user <email>.\n',
    );
  });

  test("when importing a link and a file with --save --user, then the applications are the user's and export finds them by role", async () => {
    const link = await cli(
      ['import-job', fixtures.url('/workday'), '--user', email.toUpperCase(), '--save'],
      env,
    );
    assert.equal(link.code, 0, link.stderr);
    assert.match(link.stdout, /^Company: /);
    assert.match(link.stderr, /^Saved application \S+ \([0-9a-f-]{36}\)\.$/m);

    const file = path.join(work, 'lever.html');
    // Saved by a browser in the page's own charset, which its <meta> declares.
    const latin1 = pages.lever
      .replace('<head>', '<head><meta charset="iso-8859-1">')
      .replaceAll('Orbit Payments', 'Orbit Payments Café');
    await fs.writeFile(file, Buffer.from(latin1, 'latin1'));
    const draft = path.join(work, 'draft.md');
    const saved = await cli(
      ['import-job', file, '--user', email, '--save', '--output', draft],
      env,
    );
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(
      saved.stdout,
      /^Wrote the draft to .*draft\.md\.\nSaved application orbit_payments_caf/,
    );
    assert.match(
      await fs.readFile(draft, 'utf8'),
      /^Company: Orbit Payments Café\nRole: Staff Platform Engineer\n/,
    );

    const out = path.join(work, 'packet.zip');
    const packet = await cli(
      ['export', 'staff platform engineer', '--user', email, '--output', out],
      env,
    );
    assert.equal(packet.code, 0, packet.stderr);
    const zip = await JSZip.loadAsync(await fs.readFile(out));
    assert.match(await zip.file('posting/posting.md')!.async('string'), /Kubernetes/);

    const db = await import('../server/db/index.ts').then((m) =>
      m.openDatabase({ kind: 'pglite', dataDir }),
    );
    try {
      const { rows } = await db.asOwner((tx) =>
        tx.query<{ email: string; n: number }>(
          `SELECT u.email, count(a.id)::int AS n FROM users u LEFT JOIN applications a ON a.user_id = u.id
            GROUP BY u.email ORDER BY n DESC`,
        ),
      );
      assert.deepEqual(
        rows.map((r) => r.n),
        [2, 0],
      );
      assert.equal(rows[0]!.email, email);
    } finally {
      await db.close();
    }
  });

  test('when a resume file is imported with --save --user, then the user has it', async () => {
    const file = path.join(work, 'mira.md');
    await fs.writeFile(file, RESUME);
    const r = await cli(['import-resume', file, '--user', email, '--save'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Mira Okonkwo\n/);
    assert.match(r.stderr, /^Saved resume "Mira Okonkwo" \([0-9a-f-]{36}\)\.$/m);
  });

  test('when a server holds the data directory, then the command refuses and points to --server', async () => {
    const release = await acquireDataDirLock(dataDir);
    try {
      const r = await cli(['export', 'orbit', '--user', email], env);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^jobforge: The data directory .* is in use by another Job Forge process \(pid \d+\), most likely the server\. .*--server <url>/,
      );
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    } finally {
      await release();
    }
  });
});
