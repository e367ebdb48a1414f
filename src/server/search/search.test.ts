import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { cjkRuns, toWebsearch } from './cjk.ts';
import { cjkHeadline, markSnippet } from './search.service.ts';

const CHINESE_RESUME =
  '# 张伟\n\n软件工程师，五年经验。熟练掌握Python和数据分析，' +
  '负责 <b>报表</b> 平台与机器学习模型的上线。'.padEnd(120, '。');
const ENGLISH_RESUME =
  '# Ada Example\n\nDesign systems engineer. Built payment platforms in TypeScript and ' +
  'PostgreSQL; led a team of five across Europe.';

async function post(s: TestServer, u: TestUser, path: string, body: object): Promise<void> {
  const res = await s.request('POST', path, { token: u.token, body });
  assert.equal(res.status, 201, res.text);
}

describe('search query shape (CJK)', () => {
  test('when a query holds CJK runs, then each becomes the phrase of its bigrams', () => {
    assert.deepEqual(cjkRuns('Python 数据分析 and 分析'), ['数据分析', '分析']);
    assert.equal(toWebsearch('数据分析'), ' "数据 据分 分析" ');
    assert.equal(toWebsearch('python -数据分析'), 'python -"数据 据分 分析" ');
    assert.equal(
      toWebsearch('"掌握 python"'),
      '" 掌握  python"',
      'inside quotes: no quotes of its own',
    );
    assert.equal(toWebsearch('析'), ' 析 ', 'one character stays a word');
    assert.equal(toWebsearch('designing "payment systems"'), 'designing "payment systems"');
  });

  test('when a CJK headline is cut, then every occurrence is delimited once and the text around it kept', () => {
    const text = `${'前'.repeat(100)}数据分析和数据${'后'.repeat(300)}`;
    const headline = markSnippet(cjkHeadline(text, ['数据分析', '数据']));
    assert.match(headline, /^… 前+<mark>数据分析<\/mark>和<mark>数据<\/mark>后+ …$/);
    assert.ok(headline.length < 300, headline);
  });
});

for (const kind of dbKinds()) {
  describe(`search over CJK and English text (${kind})`, () => {
    let s: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    before(async () => {
      s = await startTestServer(kind);
      alice = await s.register();
      bob = await s.register();
      await post(s, alice, '/api/v1/resumes', { name: '中文简历', content: CHINESE_RESUME });
      await post(s, alice, '/api/v1/resumes', { name: 'English resume', content: ENGLISH_RESUME });
      await post(s, alice, '/api/v1/applications', {
        company_name: '株式会社サンプル',
        role_title: 'データアナリスト',
        job_description:
          'データ分析の経験が三年以上ある方。SQLとPythonを使った業務改善をお任せします。'.padEnd(
            60,
            '。',
          ),
      });
      await post(s, alice, '/api/v1/applications', {
        company_name: '한빛소프트',
        role_title: '데이터 엔지니어',
        job_description:
          '대용량 데이터분석을 위한 파이프라인을 설계하고 운영합니다. Kafka 경험 우대.'.padEnd(
            60,
            '.',
          ),
      });
    });
    after(() => s.stop());

    const search = async (u: TestUser, q: string, extra = '') => {
      const res = await s.request('GET', `/api/v1/search?q=${encodeURIComponent(q)}${extra}`, {
        token: u.token,
      });
      assert.equal(res.status, 200, res.text);
      return res.body.items as { kind: string; title: string; snippet: string }[];
    };
    const titles = async (u: TestUser, q: string) =>
      (await search(u, q)).map((h) => h.title).sort();

    test('when a CJK word inside a longer run is searched, then the text holding it is found with the word marked', async () => {
      const hits = await search(alice, '数据分析');
      assert.deepEqual(
        hits.map((h) => h.title),
        ['中文简历'],
      );
      assert.match(hits[0]!.snippet, /熟练掌握Python和<mark>数据分析<\/mark>/);
      assert.match(hits[0]!.snippet, /&#60;b&#62;报表&#60;\/b&#62;/, 'the text stays escaped');
      assert.doesNotMatch(hits[0]!.snippet, /<b>/);
    });

    test('when Japanese, Korean, single-character and mixed queries are searched, then they match substrings, not scattered characters', async () => {
      assert.deepEqual(await titles(alice, 'データ分析'), ['株式会社サンプル — データアナリスト']);
      assert.deepEqual(await titles(alice, '데이터분석'), ['한빛소프트 — 데이터 엔지니어']);
      assert.deepEqual(await titles(alice, '析'), [
        '中文简历',
        '株式会社サンプル — データアナリスト',
      ]);
      assert.deepEqual(await titles(alice, '据析'), [], 'both characters, but not side by side');
      assert.deepEqual(
        await titles(alice, 'python 掌握'),
        ['中文简历'],
        'a Latin word inside CJK text',
      );
      assert.deepEqual(await titles(alice, 'python -数据分析'), [
        '株式会社サンプル — データアナリスト',
      ]);
    });

    test('when English words are searched, then stemming, phrases and exclusions work as before', async () => {
      const hits = await search(alice, 'designing');
      assert.deepEqual(
        hits.map((h) => h.title),
        ['English resume'],
      );
      assert.match(hits[0]!.snippet, /<mark>Design<\/mark> systems/);
      assert.deepEqual(await titles(alice, '"payment platforms" -kafka'), ['English resume']);
      assert.deepEqual(await titles(alice, 'kafka'), ['한빛소프트 — 데이터 엔지니어']);
    });

    test('when another user searches for the same CJK words, then none of the first user’s rows come back', async () => {
      await post(s, bob, '/api/v1/resumes', { name: 'Bob 简历', content: ENGLISH_RESUME });
      for (const q of ['数据分析', '析', 'データ分析', '데이터분석', 'python']) {
        assert.deepEqual(await search(bob, q), [], q);
      }
      const list = await s.request(
        'GET',
        `/api/v1/applications?q=${encodeURIComponent('データ分析')}`,
        {
          token: bob.token,
        },
      );
      assert.deepEqual(list.body.items, []);
    });

    test('when the application list is filtered by a CJK word, then the applications holding it come back', async () => {
      const companies = async (q: string) => {
        const res = await s.request('GET', `/api/v1/applications?q=${encodeURIComponent(q)}`, {
          token: alice.token,
        });
        assert.equal(res.status, 200, res.text);
        return res.body.items.map((a: { company_name: string }) => a.company_name).sort();
      };
      assert.deepEqual(await companies('分析'), ['株式会社サンプル']);
      assert.deepEqual(await companies('분석'), ['한빛소프트']);
      assert.deepEqual(await companies('데이터'), ['한빛소프트']);
    });
  });
}
