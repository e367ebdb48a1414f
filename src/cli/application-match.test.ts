import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchApplication, type ApplicationSummary } from './application-match.ts';

const app = (id: string, company: string, role: string): ApplicationSummary => ({
  id,
  name: `${company}_${role}_2026_11_25`.toLowerCase().replace(/\W+/g, '_'),
  company_name: company,
  role_title: role,
  created_at: '2026-11-25T10:00:00.000Z',
});

const apps = [
  app('11111111-1111-4111-8111-111111111111', 'Acme', 'Backend Engineer'),
  app('22222222-2222-4222-8222-222222222222', 'Acme Robotics', 'Data Engineer'),
  app('33333333-3333-4333-8333-333333333333', 'Nimbus Labs', 'Site Reliability Engineer'),
];

describe('matchApplication', () => {
  test('when given an id in any case, then that application', () => {
    assert.equal(matchApplication(apps[2]!.id.toUpperCase(), apps), apps[2]);
  });

  test('when given the generated name, a company, a role or both in any case, then the one application', () => {
    assert.equal(matchApplication(apps[1]!.name, apps), apps[1]);
    assert.equal(matchApplication('  nimbus LABS ', apps), apps[2]);
    assert.equal(matchApplication('data engineer', apps), apps[1]);
    assert.equal(matchApplication('Acme Backend Engineer', apps), apps[0]);
    assert.equal(matchApplication('site reliability engineer at nimbus labs', apps), apps[2]);
    assert.equal(matchApplication('reliab', apps), apps[2], 'a unique part is enough');
  });

  test('when one application matches exactly and others only partly, then the exact one', () => {
    assert.equal(matchApplication('acme', apps), apps[0]);
  });

  test('when several match, then the error lists each with its id', () => {
    assert.throws(
      () => matchApplication('engineer', apps),
      (err: Error) => {
        assert.match(err.message, /^3 applications match "engineer"; give the id of one:/);
        for (const a of apps) assert.ok(err.message.includes(a.id), err.message);
        assert.match(err.message, /Acme Robotics — Data Engineer \(2026-11-25\)/);
        return true;
      },
    );
  });

  test('when nothing matches or the id is unknown, then a sentence says so', () => {
    assert.throws(() => matchApplication('Globex', apps), /No application matches "Globex"/);
    assert.throws(
      () => matchApplication('44444444-4444-4444-8444-444444444444', apps),
      /No application has the id 44444444-/,
    );
    assert.throws(() => matchApplication('  ', apps), /Name an application/);
  });
});
