import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const kind of dbKinds()) {
  describe(`documents (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const newApplication = async (token: string, status = 'draft'): Promise<string> => {
      const res = await s.request('POST', '/api/v1/applications', {
        token,
        body: {
          company_name: 'Acme',
          role_title: 'Engineer',
          job_description: 'Build and run the payment platform for millions of customers.',
          status,
        },
      });
      assert.equal(res.status, 201, res.text);
      return res.body.id;
    };
    const docPath = (appId: string, type = 'cover_letter', suffix = '') =>
      `/api/v1/applications/${appId}/documents/${type}${suffix}`;
    const put = (token: string, appId: string, content: unknown, type = 'cover_letter') =>
      s.request('PUT', docPath(appId, type), { token, body: { content } });
    const versions = async (token: string, appId: string, type = 'cover_letter') =>
      (await s.request('GET', docPath(appId, type, '/versions'), { token })).body.items;

    test('when a document is saved, then 201 with version 1, and a new content is 200 with version 2', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      const first = await put(u.token, appId, 'Dear Acme,');
      assert.equal(first.status, 201, first.text);
      assert.deepEqual(Object.keys(first.body).sort(), [
        'application_id',
        'content',
        'created_at',
        'document_type',
        'flagged',
        'grounding',
        'id',
        'updated_at',
        'version',
      ]);
      assert.deepEqual(
        [first.body.application_id, first.body.document_type, first.body.version],
        [appId, 'cover_letter', 1],
      );
      const second = await put(u.token, appId, 'Dear Acme team,');
      assert.equal(second.status, 200);
      assert.deepEqual(
        [second.body.id, second.body.version, second.body.content],
        [first.body.id, 2, 'Dear Acme team,'],
      );
      const got = await s.request('GET', docPath(appId), { token: u.token });
      assert.deepEqual(got.body, second.body);
    });

    test('when the current content is saved again, then 200, the same document and no new version', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      const first = await put(u.token, appId, 'Same words');
      const again = await put(u.token, appId, 'Same words');
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      assert.equal((await versions(u.token, appId)).length, 1);
      const timeline = await s.request('GET', `/api/v1/applications/${appId}/events`, {
        token: u.token,
      });
      assert.equal(timeline.body.items.filter((e: any) => e.kind === 'document_saved').length, 1);
    });

    test('when a document is saved three times, then its versions are 3, 2, 1 with every content', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      for (const c of ['v1 text', 'v2 text', 'v3 text']) await put(u.token, appId, c);
      const items = await versions(u.token, appId);
      assert.deepEqual(
        items.map((v: any) => [v.version, v.content, v.source]),
        [
          [3, 'v3 text', 'user'],
          [2, 'v2 text', 'user'],
          [1, 'v1 text', 'user'],
        ],
      );
      assert.deepEqual(Object.keys(items[0]).sort(), [
        'content',
        'created_at',
        'grounding',
        'source',
        'version',
      ]);
      const current = await s.request('GET', docPath(appId), { token: u.token });
      assert.equal(current.body.version, 3);
    });

    test('when documents of several types exist, then the list has one of each, and deleting one keeps the others', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      for (const type of ['cover_letter', 'research_report', 'optimized_resume']) {
        assert.equal((await put(u.token, appId, `about ${type}`, type)).status, 201);
      }
      const listed = await s.request('GET', `/api/v1/applications/${appId}/documents`, {
        token: u.token,
      });
      assert.deepEqual(
        listed.body.items.map((d: any) => d.document_type),
        ['research_report', 'optimized_resume', 'cover_letter'],
      );
      const del = await s.request('DELETE', docPath(appId, 'research_report'), { token: u.token });
      assert.equal(del.status, 204);
      for (const suffix of ['', '/versions']) {
        const res = await s.request('GET', docPath(appId, 'research_report', suffix), {
          token: u.token,
        });
        assert.equal(res.status, 404);
        assert.equal(res.body.error.message, 'That document does not exist.');
      }
      const again = await s.request('DELETE', docPath(appId, 'research_report'), {
        token: u.token,
      });
      assert.equal(again.status, 404);
      const after = await s.request('GET', `/api/v1/applications/${appId}/documents`, {
        token: u.token,
      });
      assert.equal(after.body.items.length, 2);
      // Saving it again starts over at version 1.
      const fresh = await put(u.token, appId, 'new report', 'research_report');
      assert.deepEqual([fresh.status, fresh.body.version], [201, 1]);
    });

    test('when an application is created, changes status twice and gets a document, then the timeline shows it all in order', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token, 'applied');
      for (const status of ['interview', 'offer']) {
        await s.request('PATCH', `/api/v1/applications/${appId}`, {
          token: u.token,
          body: { status },
        });
      }
      await put(u.token, appId, 'Thank you for the offer.');
      await s.request('DELETE', docPath(appId), { token: u.token });
      const res = await s.request('GET', `/api/v1/applications/${appId}/events`, {
        token: u.token,
      });
      assert.deepEqual(
        res.body.items.map((e: any) => [e.kind, e.from_status, e.to_status, e.document_type]),
        [
          ['created', null, 'applied', null],
          ['status_changed', 'applied', 'interview', null],
          ['status_changed', 'interview', 'offer', null],
          ['document_saved', null, null, 'cover_letter'],
          ['document_deleted', null, null, 'cover_letter'],
        ],
      );
      const times = res.body.items.map((e: any) => e.created_at);
      assert.deepEqual([...times].sort(), times);
    });

    test('when two saves race on a new document, then one document with versions 1 and 2, and no error', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      const results = await Promise.all([
        put(u.token, appId, 'racer A'),
        put(u.token, appId, 'racer B'),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 201]);
      const items = await versions(u.token, appId);
      assert.deepEqual(
        items.map((v: any) => v.version),
        [2, 1],
      );
      assert.deepEqual(items.map((v: any) => v.content).sort(), ['racer A', 'racer B']);
      const current = await s.request('GET', docPath(appId), { token: u.token });
      assert.equal(current.body.content, items[0].content);
    });

    test('when many saves race on one document, then versions are 1..n without gaps or duplicates', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => put(u.token, appId, `draft ${i}`)),
      );
      assert.deepEqual(
        results.map((r) => r.status).sort(),
        [200, 200, 200, 200, 200, 200, 200, 201],
      );
      assert.deepEqual(
        (await versions(u.token, appId)).map((v: any) => v.version),
        [8, 7, 6, 5, 4, 3, 2, 1],
      );
    });

    test('when the body or type is invalid, then 400 or 404, and nothing is stored', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      const cases: [unknown, string, RegExp][] = [
        [{ content: '' }, 'content', /blank/],
        [{ content: ' \n\t ' }, 'content', /blank/],
        [{ content: 'x'.repeat(200_001) }, 'content', /at most 200000/],
        [{ content: 42 }, 'content', /must be text/],
        [{}, 'content', /is required/],
        [{ content: 'ok', version: 7 }, 'version', /not a field/],
        [{ content: 'ok', user_id: u.id }, 'user_id', /not a field/],
      ];
      for (const [body, field, message] of cases) {
        const res = await s.request('PUT', docPath(appId), { token: u.token, body });
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
        assert.match(res.body.error.fields[field], message);
      }
      const badType = await put(u.token, appId, 'text', 'love_letter');
      assert.equal(badType.status, 404);
      const listed = await s.request('GET', `/api/v1/applications/${appId}/documents`, {
        token: u.token,
      });
      assert.deepEqual(listed.body.items, []);
      const timeline = await s.request('GET', `/api/v1/applications/${appId}/events`, {
        token: u.token,
      });
      assert.equal(timeline.body.items.length, 1);
    });

    test('when the content has accents, CJK, emoji, RTL and combining marks, then every version keeps it byte for byte', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      const content =
        'Chère équipe 東京 👩🏽‍💻🇯🇵 مرحبا שלום e\u0301 n\u0303 𝔘𝔫𝔦 \u202Ertl\u202C\n\u200b';
      await put(u.token, appId, content);
      const got = await s.request('GET', docPath(appId), { token: u.token });
      assert.deepEqual(Buffer.from(got.body.content), Buffer.from(content));
      assert.deepEqual(
        Buffer.from((await versions(u.token, appId))[0].content),
        Buffer.from(content),
      );
    });

    test("when another user names the owner's application, then every documents route answers 404 and changes nothing", async () => {
      const owner = await s.register();
      const other = await s.register();
      const appId = await newApplication(owner.token);
      await put(owner.token, appId, 'Owner letter');
      const snapshot = async () => [
        (await s.request('GET', `/api/v1/applications/${appId}/documents`, { token: owner.token }))
          .body,
        await versions(owner.token, appId),
        (await s.request('GET', `/api/v1/applications/${appId}/events`, { token: owner.token }))
          .body,
      ];
      const before = await snapshot();
      const calls: [string, string, unknown][] = [
        ['GET', '/documents', undefined],
        ['GET', '/documents/cover_letter', undefined],
        ['GET', '/documents/cover_letter/versions', undefined],
        ['PUT', '/documents/cover_letter', { content: 'Hijacked' }],
        ['PUT', '/documents/research_report', { content: 'Planted' }],
        ['DELETE', '/documents/cover_letter', undefined],
      ];
      for (const [method, suffix, body] of calls) {
        const theirs = await s.request(method, `/api/v1/applications/${appId}${suffix}`, {
          token: other.token,
          body,
        });
        const unknown = await s.request(method, `/api/v1/applications/${UNKNOWN_ID}${suffix}`, {
          token: other.token,
          body,
        });
        assert.equal(theirs.status, 404, `${method} ${suffix}`);
        assert.deepEqual(theirs.body, unknown.body, 'same answer as an unknown application');
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('when the application is deleted, then its documents go with it', async () => {
      const u = await s.register();
      const appId = await newApplication(u.token);
      await put(u.token, appId, 'Soon gone');
      await s.request('DELETE', `/api/v1/applications/${appId}`, { token: u.token });
      for (const path of [
        `/api/v1/applications/${appId}/documents`,
        docPath(appId),
        docPath(appId, 'cover_letter', '/versions'),
      ]) {
        assert.equal((await s.request('GET', path, { token: u.token })).status, 404, path);
      }
      assert.equal((await put(u.token, appId, 'Back again?')).status, 404);
      const exported = await s.request('GET', '/api/v1/users/me/export', { token: u.token });
      assert.deepEqual([exported.body.documents, exported.body.document_versions], [[], []]);
    });

    test('when there is no token or the application id is not a UUID, then 401 or 404', async () => {
      const u = await s.register();
      assert.equal(
        (await s.request('GET', `/api/v1/applications/${UNKNOWN_ID}/documents`)).status,
        401,
      );
      assert.equal((await put('', UNKNOWN_ID, 'x')).status, 401);
      assert.equal((await put(u.token, 'nope', 'x')).status, 404);
    });
  });
}
