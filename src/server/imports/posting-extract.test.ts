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
