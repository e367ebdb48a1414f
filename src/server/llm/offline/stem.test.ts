import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkGrounding } from '../../match/grounding.ts';
import { matchResume } from './match.ts';
import { analyzePosting } from './posting.ts';
import { stem } from './stem.ts';

/** The suffix-stripping rule the engine used before: what it missed is listed below. */
const previous = (w: string) =>
  w.length <= 4 || /[+#.]/.test(w) ? w : w.replace(/(ing|ed|es|s)$/, '').replace(/e$/, '');

const FAMILIES = [
  ['led', 'leading', 'lead', 'leads'],
  ['manage', 'managed', 'management', 'manager', 'managing'],
  ['analysed', 'analyzed', 'analyse', 'analyze', 'analysing'],
  ['organisation', 'organization', 'organised', 'organized'],
  ['built', 'building', 'build'],
  ['colour', 'color'],
  ['leadership', 'leader', 'led', 'leading'],
  ['supervisor', 'supervised', 'supervision'],
  ['administer', 'administered', 'administration'],
  ['ownership', 'owner', 'owned'],
  ['mentorship', 'mentoring', 'mentor'],
];

const UNRELATED = [
  ['general', 'generous'],
  ['care', 'career'],
  ['data', 'date'],
  ['policy', 'police'],
  ['nurse', 'nursery'],
  ['rise', 'raise'],
  ['lead', 'load'],
  ['sale', 'salary'],
  ['test', 'testament'],
  ['design', 'desire'],
  ['hour', 'honour'],
  ['leadership', 'leash'],
  ['leader', 'load'],
  ['owner', 'owe'],
  ['supervisor', 'super'],
  ['partnership', 'part'],
  ['teacher', 'tea'],
  ['trainer', 'trail'],
];

describe('stemmer', () => {
  test('when words are inflections of one another, then they share a stem (the old rule split each family)', () => {
    for (const family of FAMILIES) {
      assert.equal(
        new Set(family.map(stem)).size,
        1,
        `${family.join('/')}: ${family.map(stem).join('/')}`,
      );
      assert.ok(
        new Set(family.map(previous)).size > 1,
        `the old rule already joined ${family.join('/')}`,
      );
    }
  });

  test('when words are unrelated, then their stems differ', () => {
    for (const [a, b] of UNRELATED) assert.notEqual(stem(a!), stem(b!), `${a} vs ${b}`);
  });

  test('when a token is a tech spelling or has digits, then it is kept as written', () => {
    for (const w of ['node.js', 'c++', 'c#', 'ci/cd', 'k8s', '2019', 'go'])
      assert.equal(stem(w), w);
    assert.equal(stem('full-stack'), 'full-stack');
    assert.equal(stem('analysed'), stem('analysed'), 'deterministic');
  });

  const posting = analyzePosting({
    company: 'Acme',
    role: 'Engineering Lead',
    location: null,
    description: `## Requirements
- Experience leading engineering teams
- Analyzed production incidents and managed the on-call rotation
`,
  });

  test('when the posting says "leading", "analyzed", "managed" and the resume "led", "analysed", "management", then the requirements are met', () => {
    const resume = `# Ada
- Led a team of five engineers
- Analysed production incidents; on-call rotation management`;
    const m = matchResume(posting, resume);
    assert.deepEqual(
      m.requirements.map((r) => r.status),
      ['met', 'met'],
      JSON.stringify(m.requirements),
    );
    assert.equal(m.score, 100);
  });

  test('when a tailored line only changes a word’s inflection or spelling, then the grounding check agrees it is the source’s', () => {
    const source =
      '- Analysed production incidents and managed the on-call rotation\n- Led a team of five engineers';
    const tailored =
      '- Analyzing production incidents, managing the on-call rotation\n- Leading a team of five engineers';
    assert.deepEqual(checkGrounding(tailored, source).ungrounded, []);
  });
});
