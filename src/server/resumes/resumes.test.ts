import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';

const CONTENT = '# Ana López\n\nSoftware engineer. '.padEnd(120, 'x');
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const kind of dbKinds()) {
  describe(`resumes (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const create = async (token: string, body: Record<string, unknown> = {}) => {
      const res = await s.request('POST', '/api/v1/resumes', {
        token,
        body: { name: 'Main', content: CONTENT, ...body },
      });
      assert.equal(res.status, 201, res.text);
      return res.body;
    };
    const primaries = async (token: string) => {
      const res = await s.request('GET', '/api/v1/resumes', { token });
      return res.body.items.filter((r: any) => r.is_primary).map((r: any) => r.id);
    };

    test('when a resume is created, read, changed and deleted, then each step answers as documented', async () => {
      const u = await s.register();
      const created = await create(u.token, { focus_area: 'data_science' });
      assert.deepEqual(Object.keys(created).sort(), [
        'content',
        'created_at',
        'focus_area',
        'id',
        'is_primary',
        'name',
        'updated_at',
      ]);
      assert.equal(created.focus_area, 'data_science');
      assert.equal(created.is_primary, true);
      const got = await s.request('GET', `/api/v1/resumes/${created.id}`, { token: u.token });
      assert.deepEqual(got.body, created);
      const patched = await s.request('PATCH', `/api/v1/resumes/${created.id}`, {
        token: u.token,
        body: { name: 'Renamed' },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.name, 'Renamed');
      assert.equal(patched.body.content, CONTENT);
      assert.equal(patched.body.focus_area, 'data_science');
      const list = await s.request('GET', '/api/v1/resumes', { token: u.token });
      assert.deepEqual(list.body, { items: [patched.body], total: 1, limit: 50, offset: 0 });
      const del = await s.request('DELETE', `/api/v1/resumes/${created.id}`, { token: u.token });
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      const gone = await s.request('GET', `/api/v1/resumes/${created.id}`, { token: u.token });
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'not_found');
    });

    test('when focus_area is omitted, then it is other', async () => {
      const u = await s.register();
      assert.equal((await create(u.token)).focus_area, 'other');
    });

    test('when a user adds three resumes, then the first is primary and the others are not (seed-review #1)', async () => {
      const u = await s.register();
      const a = await create(u.token, { name: 'A', is_primary: false });
      const b = await create(u.token, { name: 'B' });
      const c = await create(u.token, { name: 'C', is_primary: false });
      assert.deepEqual(
        [a.is_primary, b.is_primary, c.is_primary],
        [true, false, false],
        'the first resume is primary even when is_primary: false is sent',
      );
      const list = await s.request('GET', '/api/v1/resumes', { token: u.token });
      assert.equal(list.body.total, 3);
      assert.deepEqual(
        list.body.items.map((r: any) => r.name),
        ['C', 'B', 'A'],
        'newest first',
      );
    });

    test('when another resume is made primary, on create or by PATCH, then the previous one is demoted', async () => {
      const u = await s.register();
      const a = await create(u.token, { name: 'A' });
      const b = await create(u.token, { name: 'B', is_primary: true });
      assert.equal(b.is_primary, true);
      assert.deepEqual(await primaries(u.token), [b.id]);
      const res = await s.request('PATCH', `/api/v1/resumes/${a.id}`, {
        token: u.token,
        body: { is_primary: true },
      });
      assert.equal(res.body.is_primary, true);
      assert.deepEqual(await primaries(u.token), [a.id]);
    });

    test('when the primary flag is cleared, then the user has no primary resume', async () => {
      const u = await s.register();
      const a = await create(u.token);
      await create(u.token);
      const res = await s.request('PATCH', `/api/v1/resumes/${a.id}`, {
        token: u.token,
        body: { is_primary: false },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.is_primary, false);
      assert.deepEqual(await primaries(u.token), []);
    });

    test('when the primary resume is deleted, then the most recently updated other one becomes primary', async () => {
      const u = await s.register();
      const a = await create(u.token, { name: 'A' });
      const b = await create(u.token, { name: 'B' });
      await create(u.token, { name: 'C' });
      // B is older than C but updated last.
      await s.request('PATCH', `/api/v1/resumes/${b.id}`, {
        token: u.token,
        body: { focus_area: 'management' },
      });
      await s.request('DELETE', `/api/v1/resumes/${a.id}`, { token: u.token });
      assert.deepEqual(await primaries(u.token), [b.id]);
      await s.request('DELETE', `/api/v1/resumes/${b.id}`, { token: u.token });
      const list = await s.request('GET', '/api/v1/resumes', { token: u.token });
      assert.deepEqual(
        list.body.items.map((r: any) => [r.name, r.is_primary]),
        [['C', true]],
      );
    });

    test('when first resumes are created and promoted at once, then exactly one is primary and nothing fails', async () => {
      const u = await s.register();
      const created = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          s.request('POST', '/api/v1/resumes', {
            token: u.token,
            body: { name: `R${i}`, content: CONTENT },
          }),
        ),
      );
      assert.deepEqual(new Set(created.map((r) => r.status)), new Set([201]));
      assert.equal((await primaries(u.token)).length, 1);
      const promoted = await Promise.all(
        created.map((r) =>
          s.request('PATCH', `/api/v1/resumes/${r.body.id}`, {
            token: u.token,
            body: { is_primary: true },
          }),
        ),
      );
      assert.deepEqual(new Set(promoted.map((r) => r.status)), new Set([200]));
      assert.equal((await primaries(u.token)).length, 1);
    });

    test('when fields are invalid, then 400 names each field and its limit, and nothing is stored', async () => {
      const u = await s.register();
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ content: 'x'.repeat(99) }, 'content', /at least 100/],
        [{ content: '😀'.repeat(60) }, 'content', /at least 100/], // 120 UTF-16 units, 60 characters
        [{ content: 'x'.repeat(200_001) }, 'content', /at most 200000/],
        [{ name: '   ' }, 'name', /blank/],
        [{ name: 'n'.repeat(201) }, 'name', /at most 200/],
        [{ name: 'a\u0000b' }, 'name', /NUL/],
        [{ name: 'a\ud800b' }, 'name', /surrogate/],
        [{ focus_area: 'astrology' }, 'focus_area', /one of: software_development/],
        [{ is_primary: 'yes' }, 'is_primary', /true or false/],
        [{ user_id: u.id }, 'user_id', /not a field/],
        [{ id: UNKNOWN_ID }, 'id', /not a field/],
        [{ created_at: '2020-01-01T00:00:00Z' }, 'created_at', /not a field/],
      ];
      for (const [patch, field, message] of cases) {
        const res = await s.request('POST', '/api/v1/resumes', {
          token: u.token,
          body: { name: 'Main', content: CONTENT, ...patch },
        });
        assert.equal(res.status, 400, field);
        assert.equal(res.body.error.code, 'validation_failed');
        assert.match(res.body.error.fields[field], message, field);
      }
      const missing = await s.request('POST', '/api/v1/resumes', { token: u.token, body: {} });
      assert.equal(missing.body.error.fields.name, 'is required');
      assert.equal(missing.body.error.fields.content, 'is required');
      const list = await s.request('GET', '/api/v1/resumes', { token: u.token });
      assert.equal(list.body.total, 0);
    });

    test('when a PATCH is empty or invalid, then 400 and the resume is unchanged', async () => {
      const u = await s.register();
      const r = await create(u.token);
      for (const body of [{}, { content: 'short' }, { id: UNKNOWN_ID }, { name: null }]) {
        const res = await s.request('PATCH', `/api/v1/resumes/${r.id}`, { token: u.token, body });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      const after = await s.request('GET', `/api/v1/resumes/${r.id}`, { token: u.token });
      assert.deepEqual(after.body, r);
    });

    test('when list paging is out of range, then 400; otherwise pages are stable', async () => {
      const u = await s.register();
      for (const q of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'sort=name']) {
        const res = await s.request('GET', `/api/v1/resumes?${q}`, { token: u.token });
        assert.equal(res.status, 400, q);
      }
      for (let i = 0; i < 3; i++) await create(u.token, { name: `R${i}` });
      const p1 = await s.request('GET', '/api/v1/resumes?limit=2', { token: u.token });
      const p2 = await s.request('GET', '/api/v1/resumes?limit=2&offset=2', { token: u.token });
      assert.deepEqual(
        [...p1.body.items, ...p2.body.items].map((r: any) => r.name),
        ['R2', 'R1', 'R0'],
      );
      assert.deepEqual([p2.body.total, p2.body.limit, p2.body.offset], [3, 2, 2]);
    });

    test('when content has accents, CJK, emoji, RTL and combining marks, then it comes back byte for byte', async () => {
      const u = await s.register();
      const name = 'Ré­sumé 履歴書 🚀 שלום';
      const content =
        '# José Müller — 東京 🇯🇵👩🏽‍💻\n\nمرحبا بالعالم. e\u0301 (combining) vs é, n\u0303, Å\u030A.\n' +
        'Zero\u200bwidth, \u202Eright-to-left override\u202C, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.\n'.repeat(3);
      const r = await create(u.token, { name, content });
      const got = await s.request('GET', `/api/v1/resumes/${r.id}`, { token: u.token });
      assert.equal(got.body.name, name);
      assert.equal(got.body.content, content);
      assert.deepEqual(Buffer.from(got.body.content), Buffer.from(content));
    });

    test("when a user uses another user's resume id, then 404 and the owner's resume is unchanged", async () => {
      const owner = await s.register();
      const other = await s.register();
      const r = await create(owner.token);
      const before = await s.request('GET', '/api/v1/resumes', { token: owner.token });
      const calls: [string, unknown][] = [
        ['GET', undefined],
        ['PATCH', { name: 'Stolen', is_primary: true }],
        ['DELETE', undefined],
      ];
      for (const [method, body] of calls) {
        const res = await s.request(method, `/api/v1/resumes/${r.id}`, {
          token: other.token,
          body,
        });
        const unknown = await s.request(method, `/api/v1/resumes/${UNKNOWN_ID}`, {
          token: other.token,
          body,
        });
        assert.equal(res.status, 404, method);
        assert.deepEqual(res.body, unknown.body, 'same answer as an unknown id');
      }
      assert.equal(
        (await s.request('GET', '/api/v1/resumes', { token: other.token })).body.total,
        0,
      );
      const after = await s.request('GET', '/api/v1/resumes', { token: owner.token });
      assert.deepEqual(after.body, before.body);
    });

    test('when the id is not a UUID or there is no token, then 404 or 401', async () => {
      const u = await s.register();
      const bad = await s.request('GET', '/api/v1/resumes/not-a-uuid', { token: u.token });
      assert.equal(bad.status, 404);
      assert.equal((await s.request('GET', '/api/v1/resumes')).status, 401);
      const post = await s.request('POST', '/api/v1/resumes', {
        body: { name: 'x', content: CONTENT },
      });
      assert.equal(post.status, 401);
    });
  });
}
