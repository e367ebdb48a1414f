import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import { applicationsApi, DESCRIPTION } from './applications.test-helpers.ts';
import { applicationName } from './application-name.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const kind of dbKinds()) {
  describe(`applications (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const { create, list } = applicationsApi(() => s);
    const events = async (token: string, id: string) =>
      (await s.request('GET', `/api/v1/applications/${id}/events`, { token })).body.items.map(
        (e: any) => [e.kind, e.from_status, e.to_status, e.document_type],
      );

    test('when an application is created, then it has every field, defaults and a generated name', async () => {
      const u = await s.register();
      const a = await create(u.token, { company_name: 'Acme, Inc.', role_title: 'Sr. Engineer' });
      assert.deepEqual(Object.keys(a).sort(), [
        'company_name',
        'created_at',
        'id',
        'job_description',
        'job_url',
        'location',
        'name',
        'notes',
        'role_title',
        'status',
        'updated_at',
      ]);
      assert.equal(a.status, 'draft');
      assert.equal(a.notes, '');
      assert.equal(a.job_url, null);
      assert.equal(a.location, null);
      const date = (a.created_at as string).slice(0, 10).replaceAll('-', '_');
      assert.equal(a.name, `acme__inc__sr__engineer_${date}`);
      const got = await s.request('GET', `/api/v1/applications/${a.id}`, { token: u.token });
      assert.deepEqual(got.body, a);
    });

    test('when an application is patched, then only the sent fields change, null clears, and the name stays', async () => {
      const u = await s.register();
      const a = await create(u.token, {
        job_url: 'https://acme.example/jobs/1',
        location: 'Berlin',
        notes: 'Referral from Bo',
        status: 'applied',
      });
      const res = await s.request('PATCH', `/api/v1/applications/${a.id}`, {
        token: u.token,
        body: { company_name: 'Acme Corp', job_url: null, location: null },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        { ...res.body, updated_at: a.updated_at },
        { ...a, company_name: 'Acme Corp', job_url: null, location: null },
      );
      assert.ok(res.body.updated_at >= a.updated_at);
    });

    test('when an application is deleted, then it and its timeline are gone', async () => {
      const u = await s.register();
      const a = await create(u.token);
      const del = await s.request('DELETE', `/api/v1/applications/${a.id}`, { token: u.token });
      assert.equal(del.status, 204);
      for (const path of [`/api/v1/applications/${a.id}`, `/api/v1/applications/${a.id}/events`]) {
        assert.equal((await s.request('GET', path, { token: u.token })).status, 404);
      }
      const again = await s.request('DELETE', `/api/v1/applications/${a.id}`, { token: u.token });
      assert.equal(again.status, 404);
    });

    test('when the status changes twice and is re-sent unchanged, then the timeline has created and two changes', async () => {
      const u = await s.register();
      const a = await create(u.token, { status: 'applied' });
      const patch = (body: unknown) =>
        s.request('PATCH', `/api/v1/applications/${a.id}`, { token: u.token, body });
      assert.equal((await patch({ status: 'interview' })).status, 200);
      assert.equal((await patch({ status: 'interview', notes: 'same status' })).status, 200);
      assert.equal((await patch({ notes: 'no status at all' })).status, 200);
      assert.equal((await patch({ status: 'offer' })).status, 200);
      assert.deepEqual(await events(u.token, a.id), [
        ['created', null, 'applied', null],
        ['status_changed', 'applied', 'interview', null],
        ['status_changed', 'interview', 'offer', null],
      ]);
      const body = (
        await s.request('GET', `/api/v1/applications/${a.id}/events`, { token: u.token })
      ).body;
      assert.deepEqual(Object.keys(body.items[0]).sort(), [
        'created_at',
        'document_type',
        'from_status',
        'id',
        'kind',
        'to_status',
      ]);
    });

    test('when fields are invalid or unknown, then 400 names the field and the limit, and nothing is stored', async () => {
      const u = await s.register();
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ job_description: 'x'.repeat(49) }, 'job_description', /at least 50/],
        [{ job_description: '🚀'.repeat(30) }, 'job_description', /at least 50/],
        [{ job_description: ' '.repeat(60) }, 'job_description', /blank/],
        [{ job_description: 'x'.repeat(100_001) }, 'job_description', /at most 100000/],
        [{ job_url: 'javascript:alert(1)' }, 'job_url', /http\(s\) URL/],
        [{ job_url: 'ftp://example.com/job' }, 'job_url', /http\(s\) URL/],
        [{ job_url: 'not a url' }, 'job_url', /http\(s\) URL/],
        [{ job_url: 'https://exa mple.com/' }, 'job_url', /http\(s\) URL/],
        [{ job_url: `https://example.com/${'a'.repeat(2048)}` }, 'job_url', /at most 2048/],
        [{ company_name: '' }, 'company_name', /blank/],
        [{ company_name: 'c'.repeat(201) }, 'company_name', /at most 200 characters \(got 201\)/],
        [{ role_title: 'r'.repeat(201) }, 'role_title', /at most 200/],
        [{ location: 'l'.repeat(201) }, 'location', /at most 200/],
        [{ notes: 'n'.repeat(20_001) }, 'notes', /at most 20000/],
        [{ status: 'ghosted' }, 'status', /one of: draft, applied, interview, rejected, offer/],
        [{ company_name: 42 }, 'company_name', /must be text/],
        [{ user_id: u.id }, 'user_id', /not a field/],
        [{ id: UNKNOWN_ID }, 'id', /not a field/],
        [{ created_at: '2020-01-01T00:00:00Z' }, 'created_at', /not a field/],
        [{ name: 'custom_name' }, 'name', /not a field/],
      ];
      for (const [patch, field, message] of cases) {
        const res = await s.request('POST', '/api/v1/applications', {
          token: u.token,
          body: {
            company_name: 'Acme',
            role_title: 'Engineer',
            job_description: DESCRIPTION,
            ...patch,
          },
        });
        assert.equal(res.status, 400, field);
        assert.match(res.body.error.fields[field], message, field);
      }
      assert.equal((await list(u.token)).total, 0);
    });

    test('when a PATCH is invalid, then 400 and neither the application nor its timeline changes', async () => {
      const u = await s.register();
      const a = await create(u.token);
      const bodies = [
        {},
        { status: 'applied', job_url: 'ftp://x.example' },
        { status: 'applied', user_id: UNKNOWN_ID },
        { status: 'applied', name: 'renamed' },
        { company_name: null },
        { job_description: null },
        { notes: null },
        { status: null },
      ];
      for (const body of bodies) {
        const res = await s.request('PATCH', `/api/v1/applications/${a.id}`, {
          token: u.token,
          body,
        });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      const after = await s.request('GET', `/api/v1/applications/${a.id}`, { token: u.token });
      assert.deepEqual(after.body, a);
      assert.deepEqual(await events(u.token, a.id), [['created', null, 'draft', null]]);
    });

    test('when fields hold accents, CJK, emoji, RTL and combining marks, then they come back byte for byte', async () => {
      const u = await s.register();
      const body = {
        company_name: 'Société Générale 株式会社 🏦',
        role_title: 'מהנדס/ת תוכנה — e\u0301quipe',
        job_description: `${DESCRIPTION} مرحبا 👩🏽‍💻 🇯🇵 n\u0303 Å\u030A 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202Ertl\u202C`,
        job_url: 'https://例え.jp/職/🚀?q=ü',
        location: 'Zürich · 東京 · القاهرة',
        notes: 'Notes: ça va? 😀\nزمان\u200b',
      };
      const a = await create(u.token, body);
      const got = await s.request('GET', `/api/v1/applications/${a.id}`, { token: u.token });
      for (const [k, v] of Object.entries(body)) {
        assert.deepEqual(Buffer.from(got.body[k]), Buffer.from(v), k);
      }
      assert.equal(
        got.body.name,
        applicationName(body.company_name, body.role_title, new Date(got.body.created_at)),
      );
      // 7 for ' 株式会社 🏦', the separator, 16 for 'מהנדס/ת תוכנה — ': one per character.
      assert.match(got.body.name, /^soci_t__g_n_rale_{24}e_quipe_\d{4}_\d{2}_\d{2}$/);
    });

    test("when a user uses another user's application id, then 404 and the owner's data is unchanged", async () => {
      const owner = await s.register();
      const other = await s.register();
      const a = await create(owner.token, { status: 'applied' });
      const snapshot = async () => [
        (await s.request('GET', `/api/v1/applications/${a.id}`, { token: owner.token })).body,
        (await s.request('GET', `/api/v1/applications/${a.id}/events`, { token: owner.token }))
          .body,
        await list(owner.token),
      ];
      const before = await snapshot();
      const calls: [string, string, unknown][] = [
        ['GET', '', undefined],
        ['PATCH', '', { status: 'offer', company_name: 'Stolen' }],
        ['GET', '/events', undefined],
        ['DELETE', '', undefined],
      ];
      for (const [method, suffix, body] of calls) {
        const theirs = await s.request(method, `/api/v1/applications/${a.id}${suffix}`, {
          token: other.token,
          body,
        });
        const unknown = await s.request(method, `/api/v1/applications/${UNKNOWN_ID}${suffix}`, {
          token: other.token,
          body,
        });
        assert.equal(theirs.status, 404, method + suffix);
        assert.deepEqual(theirs.body, unknown.body, 'same answer as an unknown id');
      }
      assert.equal((await list(other.token)).total, 0);
      assert.deepEqual(await snapshot(), before);
    });

    test('when the id is not a UUID or there is no token, then 404 or 401', async () => {
      const u = await s.register();
      for (const path of ['/api/v1/applications/123', '/api/v1/applications/123/events']) {
        assert.equal((await s.request('GET', path, { token: u.token })).status, 404);
      }
      assert.equal((await s.request('GET', '/api/v1/applications')).status, 401);
      assert.equal(
        (await s.request('GET', `/api/v1/applications/${UNKNOWN_ID}/events`)).status,
        401,
      );
    });
  });
}
