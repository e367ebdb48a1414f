import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkGrounding } from '../../match/grounding.ts';
import { analyze, coverLetter, researchReport, tailoredResume } from './drafts.ts';
import type { DraftInputs } from './inputs.ts';
import { skillsIn } from './posting.ts';

/** A short nursing case where each defect of the first engine showed. */
const RESUME = `# Maria Novak
maria@example.com · Brno
## Experience
### Registered Nurse, St. Anne's University Hospital (2016–2024)
- Cared for 12 patients per shift on a busy surgical ward.
- Led a team of four nurses on night shifts.
- Trained new staff on electronic health records (Epic).
## Education
- BSc Nursing, Masaryk University (2016)
## Skills
Patient care, wound care, IV therapy, Epic, triage, English, Czech
`;

const POSTING =
  'Staff Nurse – Surgical Unit. City Hospital is looking for a compassionate registered nurse.\n\n' +
  'Requirements:\n- Registered nurse licence\n- 3+ years of surgical ward experience\n' +
  '- Experience with Epic or another EHR\n- Leadership experience\n\n' +
  'Nice to have:\n- ICU experience\n- German language\n\n' +
  'Responsibilities: provide patient care, administer IV therapy, coordinate with surgeons. Salary: 45,000 EUR.';

const inputs: DraftInputs = {
  job: { company: 'City Hospital', role: 'Staff Nurse', location: null, description: POSTING },
  resume: RESUME,
};

describe('offline engine on a nursing case', () => {
  const { posting, match } = analyze(inputs);
  const req = (fragment: string) => match.requirements.find((r) => r.text.includes(fragment))!;

  test('when a paragraph after the nice-to-have list starts with "Responsibilities:", then it ends the list and its comma-separated items are the responsibilities', () => {
    assert.deepEqual(
      posting.requirements.map((r) => [r.text, r.importance]),
      [
        ['Registered nurse licence', 'must'],
        ['3+ years of surgical ward experience', 'must'],
        ['Experience with Epic or another EHR', 'must'],
        ['Leadership experience', 'must'],
        ['ICU experience', 'nice'],
        ['German language', 'nice'],
      ],
    );
    assert.deepEqual(posting.responsibilities, [
      'provide patient care',
      'administer IV therapy',
      'coordinate with surgeons',
    ]);
    assert.equal(posting.salary, '45,000 EUR');
    const report = researchReport(inputs);
    assert.match(report, /## Responsibilities\n- provide patient care\n- administer IV therapy\n/);
    assert.doesNotMatch(report, /lists no responsibilities separately/);
  });

  test('when a requirement names a job title, then the resume heading with that title is its evidence, not a line sharing one word', () => {
    assert.equal(req('Registered nurse licence').status, 'met');
    assert.equal(
      req('Registered nurse licence').evidence[0],
      "Registered Nurse, St. Anne's University Hospital (2016–2024)",
    );
  });

  test('when the posting asks for leadership and the resume says "Led a team", then the requirement is met by that line', () => {
    assert.equal(req('Leadership').status, 'met');
    assert.equal(req('Leadership').evidence[0], 'Led a team of four nurses on night shifts.');
    assert.ok(!match.missingKeywords.includes('leadership'), match.missingKeywords.join(', '));
  });

  test('when the posting names an acronym (EHR) and the resume spells it out (electronic health records), then it is met and not a missing keyword', () => {
    assert.equal(req('Epic or another EHR').status, 'met');
    assert.equal(
      req('Epic or another EHR').evidence[0],
      'Trained new staff on electronic health records (Epic).',
    );
    assert.ok(!match.missingKeywords.includes('ehr'), match.missingKeywords.join(', '));
  });

  test('when the posting states a salary, then neither its currency nor its numbers become keywords', () => {
    for (const k of [...posting.skills, ...match.missingKeywords])
      assert.doesNotMatch(k, /^(eur|usd|chf|\d.*)$/, `keyword: ${k}`);
    assert.ok(posting.skills.includes('icu') && posting.skills.includes('epic'));
  });

  test('when a text names currencies, places, bosses or ordinary words that are also tool names, then none is a keyword; the tools named as such still are', () => {
    assert.deepEqual(
      skillsIn(
        'Pay: EUR 60,000 a year (USD 65k) in the USA, reporting directly to the COO. ' +
          'Ready to go live, you excel at sales, like the rest of the team. Start in Q3.',
      ),
      [],
    );
    assert.deepEqual(
      skillsIn('We build REST APIs in Go, report in Excel and run Spark; financial reporting.'),
      ['go', 'rest', 'spark', 'excel', 'reporting'],
    );
  });

  test('when the letter quotes a resume line that ends with a full stop, then no second full stop follows the quote', () => {
    const letter = coverLetter(inputs);
    assert.match(
      letter,
      /From my experience: “Cared for 12 patients per shift on a busy surgical ward\.”\n/,
    );
    assert.match(
      letter,
      /From my experience: “Trained new staff on electronic health records \(Epic\)\.”\n/,
    );
    assert.doesNotMatch(letter, /[.!?]”\./);
    assert.match(letter, /You ask for: “Registered nurse licence”\./);
  });

  test('when the documents are drafted, then the tailored resume passes the grounding check', () => {
    const report = researchReport(inputs);
    const resume = tailoredResume({ ...inputs, report });
    assert.deepEqual(checkGrounding(resume, RESUME).ungrounded, []);
  });
});
