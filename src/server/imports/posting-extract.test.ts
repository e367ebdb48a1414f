import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findJobPostings, locationOf, parseLenientJson, salaryOf } from './json-ld.ts';
import { extractPostings, splitTitle } from './posting-extract.ts';

describe('JSON-LD reading', () => {
  test('when JSON-LD has raw control characters, a trailing comma or a comment wrapper, then it still parses', () => {
    const raw = '<!--{"@type": "JobPosting", "title": "A\tB", "description": "line\nline",}-->';
    assert.deepEqual(parseLenientJson(raw), {
      '@type': 'JobPosting',
      title: 'A\tB',
      description: 'line\nline',
    });
    assert.equal(parseLenientJson('{not json'), undefined);
  });

  test('when a posting is nested under another entity with a prefixed @type array, then it is found once', () => {
    const posting = { '@type': ['schema:JobPosting', 'Thing'], title: 'Nested' };
    const doc = { '@graph': [{ '@type': 'WebPage', mainEntity: posting }, posting] };
    assert.deepEqual(findJobPostings(doc), [posting]);
    assert.deepEqual(findJobPostings({ '@type': 'JobPostingList' }), []);
  });

  test('when fields hold placeholders, then they are left out', () => {
    const p = {
      jobLocation: {
        address: { addressLocality: 'Leipzig', addressRegion: '-', addressCountry: 'DE' },
      },
      baseSalary: { currency: 'EUR', value: { value: 0, unitText: 'YEAR' } },
    };
    assert.equal(locationOf(p), 'Leipzig, DE');
    assert.equal(salaryOf(p), undefined);
    assert.equal(
      salaryOf({ baseSalary: { currency: 'EUR', value: 52000, unitText: 'YEAR' } }),
      'EUR 52,000 per year',
    );
  });

  test('when a page is a fragment, then it is read without a document element', () => {
    assert.deepEqual(extractPostings('', undefined).postings, []);
    assert.deepEqual(extractPostings('<<<>>>', undefined).postings, []);
  });
});

describe('page titles', () => {
  test('when a board formats its title, then role, company and location are split out', () => {
    assert.deepEqual(splitTitle('Acme hiring Data Engineer in Lisbon, Portugal | LinkedIn'), {
      company: 'Acme',
      role: 'Data Engineer',
      location: 'Lisbon, Portugal',
    });
    assert.deepEqual(splitTitle('Job Application for Staff Engineer at Nimbus Labs'), {
      role: 'Staff Engineer',
      company: 'Nimbus Labs',
    });
    assert.deepEqual(splitTitle('Platform Engineer - Orbit - Careers'), {
      role: 'Platform Engineer',
      company: 'Orbit',
    });
  });
});

/**
 * Pages written for these tests in the shapes that went wrong on real boards: the order of the
 * title's parts, the board's name where the employer belongs, a site heading above the job.
 * Companies and people are invented.
 */
const para = (topic: string) =>
  `<p>You will ${topic} with a small team that ships every week, owns its services end to end and writes things down so that the next person can pick them up without a meeting.</p>`;

const leverLike = (title: string, heading = '') => `<!DOCTYPE html><html><head>
<title>${title}</title>
<meta property="og:title" content="${title}">
<meta name="twitter:title" content="${title}">
</head><body>
<div class="posting-headline">${heading}<div class="posting-categories">Berlin · Engineering</div></div>
<div class="section page-centered">${para('build data pipelines')}${para('run our warehouse')}</div>
</body></html>`;

const jobsCzLike = (company: string) => `<!DOCTYPE html><html lang="cs"><head>
<meta name="application-name" content="Jobs.cz">
<title>Backend vývojář – ${company}</title>
<meta property="og:title" content="Backend vývojář – ${company}">
</head><body>
<header><a href="/">Jobs.cz</a></header>
<main><div class="grid"><h1>Backend vývojář</h1></div>
<article><h2>Pracovní nabídka</h2>${para('write Kotlin services')}${para('design APIs')}</article></main>
</body></html>`;

const seekLike = (advertiser: string) => `<!DOCTYPE html><html><head>
<title>Welcome</title>
<meta property="og:site_name" content="SEEK Australia">
<meta property="og:title" content="Site Reliability Engineer | Hybrid | Sydney Job in Sydney NSW - SEEK">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"SEEK","url":"https://www.seek.com.au/"}]}</script>
</head><body>
<h1 data-automation="job-detail-title">Site Reliability Engineer | Hybrid | Sydney</h1>
${advertiser ? `<span data-automation="advertiser-name">${advertiser}</span>` : ''}
<div data-automation="jobAdDetails">${para('keep our clusters healthy')}${para('own the on-call rota')}</div>
</body></html>`;

describe('postings on boards that mislead', () => {
  const draft = (html: string) => {
    const r = extractPostings(html, 'https://jobs.example.test/1');
    assert.equal(r.postings.length, 1);
    return r.postings[0]!;
  };

  test('when a Lever-like title reads "Company - Role", then the heading shows which part is the role', () => {
    const d = draft(leverLike('Quillwork - Senior Data Engineer', '<h2>Senior Data Engineer</h2>'));
    assert.deepEqual([d.role_title, d.company_name], ['Senior Data Engineer', 'Quillwork']);
  });

  test('when a "Company - Role" title has no heading, then the part that reads like a job title is the role', () => {
    const d = draft(leverLike('Brightline Labs - Product Designer'));
    assert.deepEqual([d.role_title, d.company_name], ['Product Designer', 'Brightline Labs']);
    const usual = draft(leverLike('Product Designer - Brightline Labs'));
    assert.deepEqual(
      [usual.role_title, usual.company_name],
      ['Product Designer', 'Brightline Labs'],
    );
  });

  test('when a jobs.cz-like board names itself as the application, then the employer comes from the title and the section label is dropped', () => {
    const d = draft(jobsCzLike('Kavárna Systems s.r.o.'));
    assert.deepEqual([d.role_title, d.company_name], ['Backend vývojář', 'Kavárna Systems s.r.o.']);
    assert.match(d.job_description, /^You will write Kotlin services/);
  });

  test('when a SEEK-like board shows the advertiser, then that is the company, and without it the company is empty rather than the board', () => {
    const d = draft(seekLike('Harbour Analytics'));
    assert.deepEqual(
      [d.role_title, d.company_name],
      ['Site Reliability Engineer', 'Harbour Analytics'],
    );
    const anonymous = draft(seekLike(''));
    assert.equal(anonymous.role_title, 'Site Reliability Engineer');
    assert.equal(anonymous.company_name, '', 'not "SEEK Australia", not "Hybrid"');
  });

  test('when JSON-LD has no employer and the site is a board, then the board is not the company', () => {
    const html = `<html><head><meta property="og:site_name" content="Jobs.cz">
<title>Data Analyst – Modrá Hora a.s.</title>
<script type="application/ld+json">{"@type":"JobPosting","title":"Data Analyst","description":"${para('model sales data').replaceAll('"', '\\"')}"}</script>
</head><body></body></html>`;
    assert.equal(draft(html).company_name, 'Modrá Hora a.s.');
    const noTitle = html.replace(/<title>.*<\/title>/, '');
    assert.equal(draft(noTitle).company_name, '');
  });

  test('when a Lever-like apply page is mostly the application form, then the description comes from the meta tags, not the form', () => {
    const summary =
      'Quillwork builds the tools small publishers use to run their subscriptions; as a senior data engineer you will own the pipelines.';
    const field = (label: string) =>
      `<li><div class="application-label">${label}</div><div class="application-field"><input type="text" name="${label}"></div></li>`;
    const html = leverLike('Quillwork - Senior Data Engineer', '<h2>Senior Data Engineer</h2>')
      .replace('</head>', `<meta property="og:description" content="${summary}"></head>`)
      .replace(
        /<div class="section page-centered">.*<\/div>/s,
        `<form enctype="multipart/form-data" method="POST"><h4>Submit your application</h4>
<input type="file" name="resume"><ul>${['Full name', 'Email', 'Phone', 'Current company', 'LinkedIn URL', 'GitHub URL', 'Portfolio URL', 'How did you hear about us?', 'Anything else you would like to share with the hiring team?', 'Pronouns (optional)', 'Are you authorised to work in Germany?'].map(field).join('')}</ul>
<p>By applying you agree that your personal data is processed for this application and kept for twelve months unless you ask us to delete it sooner.</p></form>`,
      );
    const d = draft(html);
    assert.deepEqual([d.role_title, d.company_name], ['Senior Data Engineer', 'Quillwork']);
    assert.equal(d.job_description, summary);
  });

  test('when the first heading is the site and the page title only names the site, then the role comes from the job heading', () => {
    const html = `<!DOCTYPE html><html><head><title>Northwind Careers</title></head><body>
<header><h1>Northwind Careers</h1></header>
<main><h1 class="job-title">Warehouse Operations Lead</h1>${para('plan the night shift')}${para('train new staff')}</main>
</body></html>`;
    assert.equal(draft(html).role_title, 'Warehouse Operations Lead');
  });
});

describe('linear-time page text', () => {
  const GUARD = { timeout: 30_000 };
  const gap = ' '.repeat(200_000);

  test(
    'when JSON-LD holds a huge blank run, with or without a CDATA wrapper, then it parses',
    GUARD,
    () => {
      assert.deepEqual(parseLenientJson(`{"title": "a${gap}b"}`), { title: `a${gap}b` });
      assert.deepEqual(
        parseLenientJson(`// <![CDATA[\n{"title": "x",${gap.slice(0, 100)}}${gap}\n//${gap}]]>  `),
        {
          title: 'x',
        },
      );
      assert.equal(parseLenientJson(`{"title": "a"${gap}`), undefined);
    },
  );

  test('when a page title holds a huge blank run, then it is split as before', GUARD, () => {
    assert.deepEqual(splitTitle(`Engineer${gap}-${gap}Acme${gap}| LinkedIn${gap}`), {
      role: 'Engineer',
      company: 'Acme',
    });
    assert.deepEqual(splitTitle(`a${gap}b`), { role: `a${gap}b` });
  });
});
