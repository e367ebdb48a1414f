import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzePosting, skillsIn } from './posting.ts';
import { cleanText, stripMarkdown, words } from './text.ts';

// Hang guards only: each input below took seconds with the old regexes (100 KB is the largest
// job description the API accepts).
const GUARD = { timeout: 30_000 };
const job = (description: string) => ({
  company: 'Acme',
  role: 'Engineer',
  location: null,
  description,
});

describe('linear-time posting text', () => {
  test(
    'when a pasted page is long runs of "<", unclosed tags or "[", then the text is kept as it is',
    GUARD,
    () => {
      const lt = '<'.repeat(100_000);
      assert.equal(cleanText(lt), lt);
      assert.equal(cleanText(`${'<li'.repeat(30_000)} x`), `${'<li'.repeat(30_000)} x`);
      assert.equal(
        cleanText(`${'<script '.repeat(10_000)}x`),
        `${'<script '.repeat(10_000)}x`.trim(),
      );
      assert.equal(
        cleanText('<p>a</p><SCRIPT>evil()</script>b<li>c<br/>d<h2 x>e<i>f</i>'),
        'a\nb\n- c\nd\nef',
      );
      const brackets = '['.repeat(100_000);
      assert.equal(stripMarkdown(brackets), brackets);
      const links = '[a](x'.repeat(20_000);
      assert.equal(stripMarkdown(links), links);
      assert.equal(
        stripMarkdown(`- [Ada](https://a.example) and [b](c)${'[x]('.repeat(5000)}`),
        `Ada and b${'[x]('.repeat(5000)}`,
      );
    },
  );

  test('when a word is a long run of hyphens, dots or slashes, then it is one word', GUARD, () => {
    assert.deepEqual(words(`a${'-'.repeat(100_000)}a`), [`a${'-'.repeat(100_000)}a`]);
    assert.deepEqual(words(`node.js ci/cd c++ ${'./-'.repeat(30_000)}xy`), [
      'node.js',
      'ci/cd',
      'c++',
      'xy',
    ]);
  });

  test(
    'when a posting is 100,000 digits or a salary with a very long number, then the salary is read right',
    GUARD,
    () => {
      assert.equal(analyzePosting(job('1'.repeat(100_000))).salary, null);
      assert.equal(analyzePosting(job(`${'1,'.repeat(50_000)}x`)).salary, null);
      assert.equal(analyzePosting(job(`$${'1'.repeat(50_000)}x`)).salary, null);
      assert.equal(
        analyzePosting(job(`Pay: ${'9'.repeat(60_000)} EUR per year`)).salary,
        `${'9'.repeat(60_000)} EUR per year`,
      );
      assert.equal(analyzePosting(job(`Pay: ,50.000 EUR`)).salary, '50.000 EUR');
      assert.equal(
        analyzePosting(job('We raised $10M. Salary: $120k - $150k per year.')).salary,
        '$120k - $150k per year',
      );
    },
  );

  test(
    'when labels, front matter and location lines hold long blank runs, then they are read as before',
    GUARD,
    () => {
      const gap = ' '.repeat(100_000);
      const labelled = analyzePosting(
        job(`Responsibilities: write code${gap}, and review${gap};  test`),
      );
      assert.deepEqual(labelled.responsibilities, ['write code', 'review', 'test']);
      const front = analyzePosting(
        job(`---\nrequirements:${gap}>-\n  - SQL for five years\n---\nBody text here.`),
      );
      assert.deepEqual(
        front.requirements.map((r) => r.text),
        ['SQL for five years'],
      );
      assert.equal(analyzePosting(job(`${'\n'.repeat(100_000)}x`)).location, null);
      assert.equal(
        analyzePosting(job(`Intro.\n${'\n \n'.repeat(30_000)}  Location :\n Berlin, DE\n`))
          .location,
        'Berlin, DE',
      );
      assert.equal(analyzePosting(job(`Our location: Paris\nLocation: Lyon`)).location, 'Lyon');
    },
  );

  test(
    'when a posting is a long run of capitals and spaces, then no label or acronym is invented',
    GUARD,
    () => {
      assert.deepEqual(skillsIn('A '.repeat(50_000)), []);
      assert.deepEqual(skillsIn(`${'AB '.repeat(30_000)}x`), ['ab']);
      assert.deepEqual(skillsIn('TO APPLY: send AWS and SQL notes. GENERAL INFORMATION: ICU'), [
        'sql',
        'aws',
        'icu',
      ]);
    },
  );
});
