import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import { applicationsApi } from './applications.test-helpers.ts';

for (const kind of dbKinds()) {
  describe(`applications list (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const { create, list } = applicationsApi(() => s);

    test('when the list is filtered by status and q, then only matching applications come back', async () => {
      const u = await s.register();
      await create(u.token, { company_name: 'Acme', status: 'applied' });
      await create(u.token, {
        company_name: 'Globex',
        role_title: 'Designer',
        job_description: 'Illustrating delightful interfaces for our customers every day.'.padEnd(
          60,
        ),
        status: 'interview',
      });
      await create(u.token, { company_name: '100% Remote_Co', notes: 'kubernetes' });
      await create(u.token, { company_name: '100 RemoteXCo' });
      const names = async (query: string) =>
        (await list(u.token, query)).items.map((a: any) => a.company_name).sort();
      assert.deepEqual(await names('?status=interview'), ['Globex']);
      assert.deepEqual(
        await names('?q=illustrated'),
        ['Globex'],
        'stemming: illustrated finds Illustrating',
      );
      assert.deepEqual(await names('?q=lobe'), ['Globex'], 'substring of the company name');
      assert.deepEqual(await names('?q=KUBERNETES'), ['100% Remote_Co'], 'words in notes');
      assert.deepEqual(await names(`?q=${encodeURIComponent('%')}`), ['100% Remote_Co']);
      assert.deepEqual(await names('?q=e_C'), ['100% Remote_Co'], '_ is not a wildcard');
      assert.deepEqual(await names('?q=illustrate&status=applied'), []);
      assert.deepEqual(await names(`?q=${encodeURIComponent('"payment systems" -globex')}`), [
        '100 RemoteXCo',
        '100% Remote_Co',
        'Acme',
      ]);
      assert.deepEqual(await names('?q=%20%20'), (await names('')).sort(), 'blank q: no filter');
      const page = await list(u.token, '?q=payment&limit=2');
      assert.deepEqual([page.total, page.items.length, page.limit, page.offset], [3, 2, 2, 0]);
    });

    test('when the list is sorted and paged, then pages cover every application once in order', async () => {
      const u = await s.register();
      for (const c of ['beta', 'Alpha', 'delta', 'Charlie', 'echo']) {
        await create(u.token, { company_name: c });
      }
      const companies = async (query: string) =>
        (await list(u.token, query)).items.map((a: any) => a.company_name);
      assert.deepEqual(await companies('?sort=company_name&order=asc'), [
        'Alpha',
        'beta',
        'Charlie',
        'delta',
        'echo',
      ]);
      assert.deepEqual(await companies(''), ['echo', 'Charlie', 'delta', 'Alpha', 'beta']);
      assert.deepEqual(await companies('?order=asc&limit=2&offset=3'), ['Charlie', 'echo']);
      const beta = (await list(u.token, '?order=asc&limit=1')).items[0];
      await s.request('PATCH', `/api/v1/applications/${beta.id}`, {
        token: u.token,
        body: { notes: 'touched' },
      });
      assert.equal((await companies('?sort=updated_at'))[0], 'beta');
      const paged: string[] = [];
      for (let offset = 0; offset < 6; offset += 2) {
        paged.push(...(await companies(`?sort=company_name&limit=2&offset=${offset}`)));
      }
      assert.deepEqual(paged, ['echo', 'delta', 'Charlie', 'beta', 'Alpha']);
      const empty = await list(u.token, '?offset=50');
      assert.deepEqual([empty.items.length, empty.total], [0, 5]);
    });

    test('when the list asks for fields=summary, then the same page comes back without the description and notes', async () => {
      const u = await s.register();
      for (const c of ['Acme', 'Globex', 'Initech']) {
        await create(u.token, {
          company_name: c,
          location: 'Berlin',
          job_url: 'https://jobs.example.com/1',
          job_description: `${c} is hiring. `.padEnd(3000, 'Long description. '),
          notes: 'Private notes.'.repeat(50),
        });
      }
      const query = '?q=hiring&sort=company_name&order=asc&limit=2';
      const fullRes = await s.request('GET', `/api/v1/applications${query}`, { token: u.token });
      const summaryRes = await s.request('GET', `/api/v1/applications${query}&fields=summary`, {
        token: u.token,
      });
      assert.equal(summaryRes.status, 200, summaryRes.text);
      const full = fullRes.body;
      const summary = summaryRes.body;
      assert.deepEqual(
        summary.items,
        full.items.map(({ job_description, notes, ...rest }: Record<string, unknown>) => {
          assert.equal(typeof job_description, 'string');
          assert.equal(typeof notes, 'string');
          return rest;
        }),
      );
      assert.deepEqual(
        [summary.total, summary.limit, summary.offset],
        [full.total, full.limit, full.offset],
      );
      assert.ok(summaryRes.text.length * 10 < fullRes.text.length, 'the long texts were the bulk');
      const explicit = await list(u.token, `${query}&fields=full`);
      assert.deepEqual(explicit, full, 'fields=full is the default');
    });

    test('when list parameters are out of range or unknown, then 400 names them', async () => {
      const u = await s.register();
      const cases: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['offset=-1', 'offset'],
        ['sort=name', 'sort'],
        ['order=up', 'order'],
        ['status=ghosted', 'status'],
        [`q=${'q'.repeat(201)}`, 'q'],
        ['user_id=x', 'user_id'],
        ['fields=brief', 'fields'],
      ];
      for (const [query, field] of cases) {
        const res = await s.request('GET', `/api/v1/applications?${query}`, { token: u.token });
        assert.equal(res.status, 400, query);
        assert.ok(res.body.error.fields[field], query);
      }
    });
  });
}
