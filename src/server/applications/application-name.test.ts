import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { applicationName } from './application-name.ts';

// The seed's SQL, which applicationName must match character for character.
const SEED_SQL = `SELECT lower(regexp_replace($1, '[^a-zA-Z0-9]', '_', 'g')) || '_' ||
  lower(regexp_replace($2, '[^a-zA-Z0-9]', '_', 'g')) || '_' ||
  to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY_MM_DD') AS name`;

describe('applicationName', () => {
  let pg: PGlite;
  before(async () => {
    pg = await PGlite.create();
  });
  after(() => pg.close());

  const seedName = async (company: string, role: string, at: Date) =>
    (await pg.query<{ name: string }>(SEED_SQL, [company, role, at.toISOString()])).rows[0]!.name;

  test('when company and role have spaces and punctuation, then each becomes an underscore', () => {
    assert.equal(
      applicationName('Acme, Inc.', 'Senior Engineer (Backend)', new Date('2024-03-07T10:00:00Z')),
      'acme__inc__senior_engineer__backend__2024_03_07',
    );
  });

  test('when a character is outside ASCII, then it is one underscore, not one per UTF-16 unit', () => {
    assert.equal(
      applicationName('Café 🚀', '東京 Dev', new Date('2024-12-31T00:00:00Z')),
      `caf${'_'.repeat(7)}dev_2024_12_31`,
    );
    // A combining accent is a character of its own.
    assert.equal(applicationName('Cafe\u0301', 'X', new Date('2024-01-01Z')), 'cafe__x_2024_01_01');
  });

  test('when it is late evening west of UTC, then the date is the UTC date', () => {
    assert.equal(
      applicationName('A', 'B', new Date('2024-01-01T23:30:00-05:00')),
      'a_b_2024_01_02',
    );
  });

  test('when given any text and time, then it equals the seed SQL function', async () => {
    const chars = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replaceAll('\0', ''));
    const at = fc.date({
      min: new Date('1970-01-01Z'),
      max: new Date('2200-01-01Z'),
      noInvalidDate: true,
    });
    await fc.assert(
      fc.asyncProperty(chars, chars, at, async (company, role, when) => {
        assert.equal(applicationName(company, role, when), await seedName(company, role, when));
      }),
      { numRuns: 300 },
    );
  });
});
