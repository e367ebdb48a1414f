import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { tailoredResume } from '../llm/offline/drafts.ts';
import { checkGrounding } from './grounding.ts';

const SOURCE = `# Ada Example
Senior Software Engineer · Berlin

## Experience
### Example Ltd — Backend Engineer (2019–2024)
- Built payment systems in TypeScript and PostgreSQL, handling 4,000 shops.
- Led a team of five engineers.
- Cut API latency by 40% with caching.

## Education
- BSc Computer Science, TU Berlin (2015)
`;

const kinds = (tailored: string) =>
  checkGrounding(tailored, SOURCE).ungrounded.flatMap((u) =>
    u.reasons.map((r) => `${r.kind}:${r.text}`),
  );

describe('grounding check', () => {
  test('when the tailored resume reorders and reselects the source lines, then nothing is flagged', () => {
    const reordered = `# Ada Example

## Highlights for this role
- Cut API latency by 40% with caching.
- Built payment systems in TypeScript and PostgreSQL, handling 4,000 shops.

## Education
- BSc Computer Science, TU Berlin (2015)

## Experience
### Example Ltd — Backend Engineer (2019–2024)
- Led a team of five engineers.
* **Built payment systems in TypeScript and PostgreSQL, handling 4000 shops**
`;
    assert.deepEqual(checkGrounding(reordered, SOURCE), { grounded: true, ungrounded: [] });
  });

  test('when a line invents an employer, then the line is ungrounded and names it', () => {
    const report = checkGrounding(
      `${SOURCE}\n- Built payment systems at Globex Corporation.\n`,
      SOURCE,
    );
    assert.equal(report.grounded, false);
    assert.equal(report.ungrounded.length, 1);
    assert.equal(report.ungrounded[0]!.text, 'Built payment systems at Globex Corporation.');
    assert.deepEqual(kinds(`- Built payment systems at Globex Corporation.`), [
      'name:Globex Corporation',
    ]);
  });

  test('when a line invents a skill, then the skill is reported', () => {
    assert.deepEqual(kinds('- Built payment systems in TypeScript and Kubernetes.'), [
      'skill:kubernetes',
    ]);
  });

  test('when a line invents a number or a date, then each is reported', () => {
    assert.deepEqual(kinds('- Led a team of 12 engineers.'), ['number:12']);
    assert.deepEqual(kinds('### Example Ltd — Backend Engineer (2016–2024)'), ['date:2016']);
  });

  test('when a line is new wording with no support in the source, then it is reported as wording', () => {
    const found = kinds('- Spearheaded enterprise blockchain transformation initiatives globally.');
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^wording:.*blockchain/);
  });

  test('when an invented job title or degree is added, then it is reported', () => {
    assert.deepEqual(kinds('- MSc Machine Learning, TU Berlin'), [
      'skill:machine learning',
      'name:MSc Machine Learning',
    ]);
    assert.deepEqual(kinds('### Example Ltd — Principal Architect'), ['name:Principal Architect']);
  });

  for (const f of FIXTURES) {
    test(`when the offline engine tailors the ${f.name} resume, then it is fully grounded (no false alarms)`, () => {
      const tailored = tailoredResume({
        job: { company: f.company, role: f.role, location: f.location, description: f.posting },
        resume: f.resume,
      });
      assert.deepEqual(checkGrounding(tailored, f.resume).ungrounded, []);
    });
  }
});

describe('grounding check on hostile lines', () => {
  test(
    'when a name ends in a long run of dots and hyphens, then it is reported without them, in linear time',
    { timeout: 30_000 },
    () => {
      const tailored = `- Worked at Globex${'.-'.repeat(50_000)} in Berlin`;
      assert.deepEqual(
        checkGrounding(tailored, SOURCE).ungrounded.flatMap((u) =>
          u.reasons.map((r) => `${r.kind}:${r.text}`),
        ),
        ['name:Globex'],
      );
    },
  );
});
