import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkGrounding } from '../../match/grounding.ts';
import { analyze, coverLetter, researchReport, tailoredResume } from './drafts.ts';
import type { DraftInputs } from './inputs.ts';
import { matchResume } from './match.ts';
import { analyzePosting, skillsIn } from './posting.ts';

/**
 * Shapes real postings come in (saved pages with front matter, scraped career sites with a
 * heading glued to a line and an application form below, job boards listing several openings):
 * our own texts, written in those shapes.
 */
const job = (description: string, company = 'Acme Health') => ({
  company,
  role: 'Engineer',
  location: null,
  description,
});
const texts = (reqs: { text: string }[]) => reqs.map((r) => r.text);

describe('offline engine on postings as they are found', () => {
  test('when a saved page starts with front matter and a heading is glued to the end of a bullet, then the metadata is no requirement and the glued heading still starts its section', () => {
    const p = analyzePosting(
      job(`---
position: Site Engineer
experienceRequirements: seniorLevel
occupationalCategory: Engineer
---
## What you’ll do
* Run the on-call rotation for the payments platform
* Mentor engineers and improve system health## What you’ll need
* 5+ years of experience running Kubernetes in production
* Strong communication skills## What we offer
* Performance bonus programs and equity ownership
* Catered meals and comfortable workspaces`),
    );
    assert.deepEqual(p.responsibilities, [
      'Run the on-call rotation for the payments platform',
      'Mentor engineers and improve system health',
    ]);
    assert.deepEqual(
      p.requirements.map((r) => [r.text, r.importance]),
      [
        ['5+ years of experience running Kubernetes in production', 'must'],
        ['Strong communication skills', 'must'],
      ],
    );
  });

  test('when an application form follows the posting, then its fields and questions are not requirements', () => {
    const p = analyzePosting(
      job(`## Requirements
- Experience with PostgreSQL

## Apply for this job
\\*
indicates a required field
LinkedIn Profile
Website
Do you have:
a) any business relationship with a competitor of Acme Health
Select...
What is your preferred office location?\\*
Select...
Will you now (or in the future) require visa sponsorship?\\*

### Equal Employment Opportunity Information
Self-identifying is voluntary and you must not feel obliged to answer.`),
    );
    assert.deepEqual(texts(p.requirements), ['Experience with PostgreSQL']);
  });

  test('when a job board lists openings with labelled bullets, then "Qualifications:" bullets are requirements and "Responsibilities:" bullets split into duties', () => {
    const p = analyzePosting(
      job(`## Teacher openings
#### 1. Primary School Teacher
- Qualifications: Bachelor's degree in Education or related field, teaching certification.
- Responsibilities: Plan engaging lessons, assess student progress, and meet parents.`),
    );
    assert.deepEqual(
      p.requirements.map((r) => [r.text, r.importance]),
      [["Bachelor's degree in Education or related field, teaching certification", 'must']],
    );
    assert.deepEqual(p.responsibilities, [
      'Plan engaging lessons',
      'assess student progress',
      'meet parents',
    ]);
  });

  test('when prose leads into the requirement list, an employment term sits in it, and boilerplate follows a duty list after a blank line, then none of them is a requirement or a duty', () => {
    const p = analyzePosting(
      job(`## Duties
- Monitor patient recovery and care
- Assist in minor procedures
Provide care for all patients on the unit.

Each employee is responsible for our service standards: safety, courtesy and effectiveness.

## Requirements
Acme Health will provide training to candidates who do not have the needed certifications, such as BLS and ACLS.

- Valid nursing license
- Full-time
- 3-year initial commitment`),
    );
    assert.deepEqual(p.responsibilities, [
      'Monitor patient recovery and care',
      'Assist in minor procedures',
      'Provide care for all patients on the unit.',
    ]);
    assert.deepEqual(texts(p.requirements), ['Valid nursing license', '3-year initial commitment']);
  });

  test('when the whole posting sits in YAML front matter blocks, then the blocks are read as sections, folded lines joined to their bullet, and one-line values ignored', () => {
    const p = analyzePosting(
      job(`---
role: Delivery Driver
job-type: full time
responsibilities_markdown: >-
  * Deliver finished furniture safely to client locations
  using company vans.

  * Inspect vehicles before&nbsp;each trip.
requirements_markdown: >-
  * Class "B" driver's license with a clean driving record

  * Must be able to lift 50 lbs
---
`),
    );
    assert.deepEqual(p.responsibilities, [
      'Deliver finished furniture safely to client locations using company vans.',
      'Inspect vehicles before each trip.',
    ]);
    assert.deepEqual(texts(p.requirements), [
      'Class "B" driver\'s license with a clean driving record',
      'Must be able to lift 50 lbs',
    ]);
  });

  test('when a page has TOML front matter, escaped numbered items, an emphasised colon heading and shouted labels, then each is read for what it is', () => {
    const p = analyzePosting(
      job(`+++
title = "Now hiring an Accounting Specialist"
date = 2019-08-30
+++
**Qualifications:**
1\\. Bachelor’s degree in Accounting
2\\. Experience with multiple entities is a huge plus

**Who may apply:**
Anyone living in Ohio

GENERAL INFORMATION: The position is full-time. TO APPLY: Send a letter to the address below.`),
    );
    assert.deepEqual(
      p.requirements.map((r) => [r.text, r.importance]),
      [
        ['Bachelor’s degree in Accounting', 'must'],
        ['Experience with multiple entities is a huge plus', 'nice'],
      ],
    );
    assert.deepEqual(skillsIn('GENERAL INFORMATION: see below. TO APPLY: write to HR. EAD XML'), [
      'ead',
      'xml',
    ]);
  });

  test('when a posting is saved as JSON (the JSON Resume job schema), then its arrays are read as sections and its skills as requirements, not its punctuation', () => {
    const p = analyzePosting(
      job(
        JSON.stringify({
          $schema: 'http://json-schema.org/draft-04/schema#',
          title: 'Web Developer',
          description: 'We are looking for a web developer to join our team.',
          location: { city: 'Lyon', region: 'Auvergne', countryCode: 'FR' },
          responsibilities: ['Maintain web applications', 'Review pull requests'],
          qualifications: ['Experience with TypeScript and CSS'],
          skills: [{ name: 'Databases', level: 'Intermediate', keywords: ['SQL', 'Redis'] }],
          meta: { version: 'v1.0.0' },
        }),
      ),
    );
    assert.deepEqual(p.responsibilities, ['Maintain web applications', 'Review pull requests']);
    assert.deepEqual(texts(p.requirements), [
      'Experience with TypeScript and CSS',
      'Databases: SQL, Redis',
    ]);
    assert.equal(p.location, 'Lyon, Auvergne, FR');
  });

  test('when a posting names the company’s money ("a $8T industry", "$10M raised"), then that is no salary; pay still is, and links, underscores and "an asset" read right', () => {
    const p = analyzePosting(
      job(`We have $10M raised to shape a $8T industry. Pay: $40 per hour.

## Requirements
- _You're [disciplined](https://example.com/discipline)_ - you finish what you start
- A master's degree is an asset`),
    );
    assert.equal(p.salary, '$40 per hour');
    assert.deepEqual(
      p.requirements.map((r) => [r.text, r.importance]),
      [
        ["You're disciplined - you finish what you start", 'must'],
        ["A master's degree is an asset", 'nice'],
      ],
    );
    assert.equal(analyzePosting(job('Shape a $8T industry with us.')).salary, null);
  });

  test('when a requirement says "must" and names a preference inside it, then it stays a must-have; and one language skill in it does not meet a degree requirement', () => {
    const posting = analyzePosting(
      job(
        'The candidate must hold a graduate degree, with a Ph.D. preferred, in English literature or a closely related field.',
      ),
    );
    assert.deepEqual(
      posting.requirements.map((r) => r.importance),
      ['must'],
    );
    const m = matchResume(posting, '# Sam\n## Languages\n- English (fluent), Turkish (native)');
    assert.equal(m.requirements[0]!.status, 'partial', JSON.stringify(m.requirements[0]));
  });

  test('when duties are listed as bullets before any heading, then the ones opening with a verb are responsibilities and the rest is not invented into one', () => {
    const p = analyzePosting(
      job(`We are looking for an accountant to oversee all office accounting tasks, including:
* Oversee payables and receivables
* Responsible for managing all audits
* Tech savvy individual who likes new systems

**Qualifications:**
- Degree in Accounting`),
    );
    assert.deepEqual(p.responsibilities, [
      'Oversee payables and receivables',
      'Responsible for managing all audits',
    ]);
    assert.deepEqual(texts(p.requirements), ['Degree in Accounting']);
  });

  const resume = `# Sam Rivera
📧 sam@example.com • 📞 (312) 555-8910 • Chicago, IL, USA

## Experience
**Registered Nurse, ICU** — *2019 – Present*
- Cared for critically ill patients on a 20-bed unit
- Led the unit's business continuity drills

## Education
Bachelor of Science in Nursing — *2015 – 2019*`;

  test('when a resume has a contact line and emphasis, then evidence never quotes the contact line, drops the emphasis marks, and one chance word is no partial match', () => {
    const posting = analyzePosting(
      job(`## Requirements
- Relocation to the USA
- ICU experience
- You work with urgency: we race to grow the business and you get the right things done`),
    );
    const m = matchResume(posting, resume);
    const [relocation, icu, urgency] = m.requirements;
    assert.equal(relocation!.status, 'missing', JSON.stringify(relocation));
    assert.deepEqual(icu!.evidence[0], 'Registered Nurse, ICU — 2019 – Present');
    assert.equal(icu!.status, 'met');
    assert.equal(urgency!.status, 'missing', JSON.stringify(urgency));
  });

  test('when several requirements share their best evidence and some are only partly met, then the letter quotes each resume line once and met requirements first', () => {
    const inputs: DraftInputs = {
      job: job(`## Requirements
- Valid nursing license in any country
- Bachelor of Science in Nursing or equivalent
- Science degree in nursing
- ICU experience`),
      resume,
    };
    const letter = coverLetter(inputs);
    const quotes = [...letter.matchAll(/From my experience: “([^”]+)”/g)].map((q) => q[1]);
    assert.equal(new Set(quotes).size, quotes.length, letter);
    assert.ok(quotes.includes('Registered Nurse, ICU — 2019 – Present'), letter);
    assert.doesNotMatch(letter, /You ask for: “Valid nursing license/);
  });

  test('when the letter admits a missing requirement that ends with a full stop, then no second full stop follows, and the drafts stay grounded', () => {
    const inputs: DraftInputs = {
      job: job(`## Requirements
- ICU experience
- Relocation to Denver is required.
`),
      resume,
    };
    const { match } = analyze(inputs);
    assert.equal(match.requirements[1]!.status, 'missing');
    const letter = coverLetter(inputs);
    assert.match(
      letter,
      /does not show “Relocation to Denver is required\.” I would be glad to discuss/,
    );
    assert.doesNotMatch(letter, /[.!?]”\./);
    const report = researchReport(inputs);
    assert.deepEqual(checkGrounding(tailoredResume({ ...inputs, report }), resume).ungrounded, []);
  });
});
