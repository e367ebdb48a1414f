import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import {
  fakeResolver,
  html,
  startCanary,
  startFixtureServer,
  type Canary,
  type FixtureServer,
} from '../../../test/helpers/outbound.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import * as pages from '../../../test/fixtures/job-pages.ts';

const IMPORT = '/api/v1/applications/import';

for (const kind of dbKinds()) {
  describe(`job posting import (${kind})`, () => {
    let s: TestServer;
    let fixtures: FixtureServer;
    let canary: Canary;
    let u: TestUser;

    before(async () => {
      canary = await startCanary();
      fixtures = await startFixtureServer({
        '/greenhouse': html(pages.greenhouse),
        '/lever': html(pages.lever),
        '/workday': html(pages.workday),
        '/linkedin': html(pages.linkedin),
        '/two': html(pages.twoPostings),
        '/oops': html(pages.notAPosting),
        '/moved': (_q, r) => r.writeHead(301, { location: '/greenhouse' }).end(),
        '/to-canary': (_q, r) =>
          r.writeHead(302, { location: `http://127.0.0.1:${canary.port}/` }).end(),
        '/latin1': (_q, r) =>
          r
            .writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' })
            .end(Buffer.from(pages.lever.replaceAll('Orbit Payments', 'Café Über'), 'latin1')),
        '/json': (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
        '/huge': (_q, r) => {
          r.writeHead(200, { 'content-type': 'text/html' });
          r.on('error', () => {});
          const chunk = Buffer.alloc(1 << 20, 'a');
          let sent = 0;
          const pump = () => {
            while (sent < 50 && r.write(chunk)) sent += 1;
            if (sent >= 50) r.end();
          };
          r.on('drain', () => {
            sent += 1;
            pump();
          });
          pump();
        },
        '/drip': (_q, r) => {
          r.writeHead(200, { 'content-type': 'text/html' });
          const t = setInterval(() => r.write('<p>'), 50);
          r.on('close', () => clearInterval(t));
        },
      });
      s = await startTestServer(
        kind,
        {},
        {
          outbound: {
            // The fixture server's own port, nothing else on loopback.
            allowedTargets: [{ address: '127.0.0.1', port: fixtures.port }],
            resolve: fakeResolver({
              'careers.nimbus.test': ['127.0.0.1'],
              localhost: ['127.0.0.1', '::1'],
            }),
            timeoutMs: 1500,
          },
        },
      );
      u = await s.register();
    });
    after(async () => {
      await s.stop();
      await fixtures.close();
      await canary.close();
    });

    const importUrl = (url: string, token = u.token) =>
      s.request('POST', IMPORT, { token, body: { url } });

    test('when a Greenhouse-like page with an entity-encoded description is imported, then the draft is filled with clean Markdown', async () => {
      const res = await importUrl(fixtures.url('/moved'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.source, 'json-ld');
      const d = res.body.draft;
      assert.equal(d.company_name, 'Nimbus Labs');
      assert.equal(d.role_title, 'Senior Backend Engineer');
      assert.equal(d.location, 'Berlin, DE');
      assert.equal(d.date_posted, '2026-10-02');
      assert.equal(d.job_url, fixtures.url('/greenhouse'), 'the URL after redirects');
      assert.equal(
        d.job_description,
        '**About us**\n\nNimbus Labs builds weather data APIs used by 4,000 farms & airports.\n\n' +
          '### What you will do\n\n- Design services in TypeScript and Go\n- Run PostgreSQL at scale\n\n' +
          'Read more on [our blog](https://nimbus.test/blog).',
      );
    });

    test('when Lever-, Workday- and LinkedIn-like pages are imported, then every field they carry is extracted', async () => {
      const lever = (await importUrl(fixtures.url('/lever'))).body.draft;
      assert.deepEqual(
        [lever.company_name, lever.role_title, lever.location, lever.employment_type],
        ['Orbit Payments', 'Staff Platform Engineer', 'Remote (Canada)', 'Full-time'],
      );
      assert.equal(lever.salary, 'CAD 180,000–210,000 per year');
      assert.equal(lever.valid_through, '2026-12-31T23:59:00-05:00');
      assert.match(
        lever.job_description,
        /^Orbit moves money.*\n\n- Own our Kubernetes platform\n- Mentor four engineers$/s,
      );
      assert.match(lever.notes, /Salary: CAD 180,000–210,000 per year/);

      const workday = (await importUrl(fixtures.url('/workday'))).body.draft;
      assert.deepEqual(
        [workday.company_name, workday.role_title, workday.location, workday.employment_type],
        [
          'Helix Health',
          'Clinical Data Analyst',
          'Lyon, France; Geneva, CH',
          'Full-time, Temporary',
        ],
      );
      assert.match(
        workday.job_description,
        /\*\*Responsibilities\*\*\n\n1\. Clean trial data\n2\. Report/,
      );

      const res = await importUrl(fixtures.url('/linkedin'));
      assert.equal(res.body.source, 'readable');
      const li = res.body.draft;
      assert.deepEqual(
        [li.company_name, li.role_title, li.location],
        ['Fjord Analytics', 'Data Engineer', 'Lisbon, Portugal'],
      );
      assert.match(li.job_description, /^Fjord Analytics helps shipping companies/);
      assert.match(li.job_description, /- Build streaming pipelines with Kafka and Flink/);
      assert.doesNotMatch(
        li.job_description,
        /Messaging|User Agreement/,
        'no navigation or footer',
      );
    });

    test('when a page lists two postings, then both come back and the draft is the first', async () => {
      const res = await importUrl(fixtures.url('/two'));
      assert.deepEqual(
        res.body.postings.map((p: any) => [p.role_title, p.location]),
        [
          ['Frontend Engineer', 'Amsterdam, NL'],
          ['Product Designer', 'Remote'],
        ],
      );
      assert.equal(res.body.draft.role_title, 'Frontend Engineer');
    });

    test('when a page is declared in another charset, then its text is decoded from it', async () => {
      const res = await importUrl(fixtures.url('/latin1'));
      assert.equal(res.body.draft.company_name, 'Café Über');
    });

    test('when the draft is confirmed, then the application is created and keeps the frozen page', async () => {
      const imported = await importUrl(fixtures.url('/greenhouse'));
      const { snapshot_id: snapshotId, draft } = imported.body;
      const body = {
        company_name: draft.company_name,
        role_title: draft.role_title,
        job_description: draft.job_description,
        job_url: draft.job_url,
        location: draft.location,
        notes: draft.notes,
      };
      const confirm = `${IMPORT}/${snapshotId}/confirm`;
      const created = await s.request('POST', confirm, { token: u.token, body });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.company_name, 'Nimbus Labs');
      const posting = await s.request('GET', `/api/v1/applications/${created.body.id}/posting`, {
        token: u.token,
      });
      assert.equal(posting.status, 200);
      assert.equal(posting.body.html, pages.greenhouse, 'byte for byte as fetched');
      assert.equal(posting.body.final_url, fixtures.url('/greenhouse'));
      assert.equal(posting.body.extracted[0].role_title, 'Senior Backend Engineer');

      const again = await s.request('POST', confirm, { token: u.token, body });
      assert.equal(again.status, 409);
      const other = await s.register();
      const stolen = await s.request('POST', confirm, { token: other.token, body });
      assert.equal(stolen.status, 404);

      const del = await s.request('DELETE', `/api/v1/applications/${created.body.id}`, {
        token: u.token,
      });
      assert.equal(del.status, 204);
      const left = await s.server.db.asOwner((tx) =>
        tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM job_posting_snapshots WHERE id = $1',
          [snapshotId],
        ),
      );
      assert.equal(left.rows[0]!.n, 0, 'the snapshot goes with its application');
    });

    test('when the page is sent as HTML (the bookmarklet), then nothing is fetched and the draft is the same', async () => {
      const res = await s.request('POST', IMPORT, {
        token: u.token,
        body: { html: pages.linkedin, url: 'https://www.linkedin.test/jobs/view/42' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.draft.role_title, 'Data Engineer');
      assert.equal(res.body.draft.job_url, 'https://www.linkedin.test/jobs/view/42');
    });

    test('when a page has no posting, then 422 says so', async () => {
      const res = await importUrl(fixtures.url('/oops'));
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'no_job_posting_found');
      assert.match(res.body.error.message, /No job posting found on the page at/);
      const empty = await s.request('POST', IMPORT, { token: u.token, body: {} });
      assert.equal(empty.status, 400);
    });

    test('when the URL points inside the network, redirects there, or misbehaves, then a clear 4xx and the canary sees nothing', async () => {
      const c = canary.port;
      const cases: [string, string][] = [
        [`http://127.0.0.1:${c}/`, 'address_not_allowed'],
        [`http://localhost:${c}/`, 'address_not_allowed'],
        [`http://careers.nimbus.test:${c}/`, 'address_not_allowed'],
        [`http://[::1]:${c}/`, 'address_not_allowed'],
        [`http://[::ffff:127.0.0.1]:${c}/`, 'address_not_allowed'],
        [`http://2130706433:${c}/`, 'address_not_allowed'],
        ['http://169.254.169.254/latest/meta-data/', 'address_not_allowed'],
        ['http://2852039166/', 'address_not_allowed'],
        ['http://0xA9FEA9FE/', 'address_not_allowed'],
        ['http://0251.0376.0251.0376/', 'address_not_allowed'],
        ['http://10.0.0.1/', 'address_not_allowed'],
        ['http://172.16.0.1/', 'address_not_allowed'],
        ['http://192.168.1.1/', 'address_not_allowed'],
        [`http://0.0.0.0:${c}/`, 'address_not_allowed'],
        [fixtures.url('/to-canary'), 'address_not_allowed'],
        [fixtures.url('/huge'), 'response_too_large'],
        [fixtures.url('/drip'), 'url_timeout'],
        [fixtures.url('/json'), 'unsupported_content_type'],
        ['http://unknown-host.test/', 'url_unreachable'],
      ];
      for (const [url, code] of cases) {
        const res = await importUrl(url);
        assert.ok(res.status >= 400 && res.status < 500, `${url} → ${res.status}`);
        assert.equal(res.body.error.code, code, `${url}: ${res.text}`);
      }
      for (const url of ['file:///etc/passwd', `gopher://127.0.0.1:${c}/`]) {
        const res = await importUrl(url);
        assert.equal(res.status, 400, `${url} is refused by the request schema`);
      }
      const notAllowed = await importUrl('http://169.254.169.254/');
      assert.match(notAllowed.body.error.message, /^This address is not allowed/);
      const unreachable = await importUrl('http://unknown-host.test/x');
      assert.match(
        unreachable.body.error.message,
        /^The page at http:\/\/unknown-host\.test\/x could not be reached/,
      );
      assert.equal(canary.connections, 0);
    });
  });
}
