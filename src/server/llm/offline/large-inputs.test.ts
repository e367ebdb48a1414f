import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkGrounding } from '../../match/grounding.ts';
import { analyze, coverLetter, researchReport, tailoredResume } from './drafts.ts';
import { matchResume } from './match.ts';
import { analyzePosting } from './posting.ts';
import { MAX_STEM_LENGTH, stem } from './stem.ts';

// Hang guards only (this took 13 s of one core before the resume index, 58 s for the drafts).
const GUARD = { timeout: 60_000 };

// 1,200 resume lines, each naming its own project and sharing "tooling"; 300 requirements, of
// which 250 name one project each (line 4i) and 50 name nothing the resume has.
const resumeBody = Array.from(
  { length: 1200 },
  (_, j) => `- Built quasar${j} tooling for team ${j}`,
);
const resume = `# Jane Doe\n\n## Experience\n${resumeBody.join('\n')}\n`;
const wanted = Array.from({ length: 300 }, (_, i) =>
  i < 250 ? `- Hands-on quasar${4 * i} tooling` : `- Licensed zeppelin${i} pilot`,
);
const job = {
  company: 'Acme',
  role: 'Engineer',
  location: null,
  description: `## Requirements\n${wanted.join('\n')}\n`,
};

describe('the offline engine on the largest inputs', () => {
  test(
    'when a 300-requirement posting meets a 1,200-line resume, then each requirement finds its own line',
    GUARD,
    () => {
      const posting = analyzePosting(job);
      assert.equal(posting.requirements.length, 300);
      const match = matchResume(posting, resume);
      assert.equal(match.score, 83);
      match.requirements.forEach((r, i) => {
        if (i < 250) {
          assert.equal(r.status, 'met', r.text);
          // The line with the requirement's own project first, then the earliest of the rest.
          assert.deepEqual(r.evidence, [
            `Built quasar${4 * i} tooling for team ${4 * i}`,
            i === 0 ? 'Built quasar1 tooling for team 1' : 'Built quasar0 tooling for team 0',
          ]);
        } else {
          assert.equal(r.status, 'missing', r.text);
          assert.deepEqual(r.evidence, []);
        }
      });
    },
  );

  test(
    'when the documents are drafted from one analysis of it, then each reads the posting right',
    GUARD,
    () => {
      // One analysis per job, handed to every document (the job's offline provider does this;
      // offline.test.ts counts the analysis tasks).
      const inputs = { job, resume };
      const analysis = analyze(inputs);
      assert.match(researchReport(inputs, analysis), /\(250 of 300 requirements met\)/);
      assert.match(
        coverLetter(inputs, analysis),
        /From my experience: “Built quasar0 tooling for team 0”\./,
      );
      const tailored = tailoredResume(inputs, analysis.posting);
      for (const line of resumeBody) assert.ok(tailored.includes(`${line}\n`), line);
      assert.match(tailored, /## Highlights for this role\n\n- Built quasar0 tooling for team 0\n/);
      // The tailored resume is the source's own lines: nothing to flag.
      assert.deepEqual(checkGrounding(tailored, resume), { grounded: true, ungrounded: [] });
    },
  );

  test(
    'when a tailored resume of 20,000 reordered and shortened lines is checked, then only the invented one is flagged',
    GUARD,
    () => {
      const lines = Array.from({ length: 20_000 }, (_, k) => {
        const j = (k * 7) % 1200;
        return k % 2 ? `- Built quasar${j} tooling` : `- quasar${j} tooling for team ${j}`;
      });
      const report = checkGrounding(
        `${lines.join('\n')}\n- Built Globex tooling for team 7`,
        resume,
      );
      assert.deepEqual(
        report.ungrounded.map((u) => [u.text, u.reasons.map((r) => `${r.kind}:${r.text}`)]),
        [['Built Globex tooling for team 7', ['name:Globex']]],
      );
    },
  );

  test(
    'when a posting names 12,000 distinct acronyms, then each is looked up once, through an index',
    GUARD,
    () => {
      // "Q" and a letter, then four digits: six characters, none inside another.
      const code = (k: number) =>
        `Q${String.fromCharCode(65 + (k % 26))}${String(Math.floor(k / 26)).padStart(4, '0')}`;
      const lines = Array.from({ length: 1200 }, (_, j) => `- Ran ${code(j)} checks`);
      const description = `## Requirements\n${Array.from(
        { length: 300 },
        (_, i) => `- ${Array.from({ length: 40 }, (_, k) => code(40 * i + k)).join(' ')}`,
      ).join('\n')}\n`;
      assert.ok(description.length <= 100_000);
      const posting = analyzePosting({ ...job, description });
      assert.equal(posting.skills.length, 12_000);
      const match = matchResume(posting, `# Jane Doe\n\n${lines.join('\n')}\n`);
      assert.equal(match.score, 10);
      assert.equal(match.missingKeywords.length, 12_000 - 1200);
      match.requirements.forEach((r, i) => {
        if (i < 30) {
          assert.equal(r.status, 'met');
          assert.deepEqual(r.evidence, [
            `Ran ${code(40 * i)} checks`,
            `Ran ${code(40 * i + 1)} checks`,
          ]);
        } else assert.deepEqual([r.status, r.evidence], ['missing', []]);
      });
    },
  );

  test(
    `when a word is longer than ${MAX_STEM_LENGTH} letters, then it is kept as written instead of stemmed`,
    GUARD,
    () => {
      const long = 'a'.repeat(40_000);
      assert.equal(stem(long), long);
      const longest = `${'ba'.repeat(MAX_STEM_LENGTH / 2 - 3)}ations`;
      assert.equal(longest.length, MAX_STEM_LENGTH);
      assert.equal(stem(longest), 'ba'.repeat(MAX_STEM_LENGTH / 2 - 3));
      assert.equal(stem(`${longest}x`), `${longest}x`);
      assert.equal(stem(`managing-${long}`), `manag-${long}`);
      const posting = analyzePosting({
        ...job,
        description: `## Requirements\n- ${long} required\n`,
      });
      assert.deepEqual(posting.requirements, [{ text: `${long} required`, importance: 'must' }]);
    },
  );
});
