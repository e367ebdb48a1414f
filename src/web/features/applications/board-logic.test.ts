import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Application, ApplicationStatus } from '../../../contracts/applications.ts';
import { moveCard, neighbourStatus, STATUSES, toColumns } from './board-logic.ts';

const app = (id: string, status: ApplicationStatus): Application => ({
  id,
  name: `acme_${id}`,
  company_name: 'Acme',
  role_title: 'Engineer',
  job_description: 'x'.repeat(50),
  job_url: null,
  location: null,
  status,
  notes: '',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

describe('board logic', () => {
  test('when applications are grouped, then there is one column per status in the API order, empty ones too', () => {
    const cols = toColumns([app('a', 'applied'), app('b', 'draft'), app('c', 'applied')]);
    assert.deepEqual(Object.keys(cols), ['draft', 'applied', 'interview', 'rejected', 'offer']);
    assert.deepEqual(
      cols.applied.map((a) => a.id),
      ['a', 'c'],
    );
    assert.deepEqual(cols.offer, []);
  });

  test('when a card moves, then it leaves its column and tops the target with the new status', () => {
    const before = toColumns([app('a', 'draft'), app('b', 'applied')]);
    const after = moveCard(before, 'a', 'applied');
    assert.deepEqual(after.draft, []);
    assert.deepEqual(
      after.applied.map((a) => [a.id, a.status]),
      [
        ['a', 'applied'],
        ['b', 'applied'],
      ],
    );
    assert.equal(before.draft.length, 1, 'the old board is untouched');
  });

  test('when a card is dropped on its own column or is unknown, then the same board comes back', () => {
    const cols = toColumns([app('a', 'draft')]);
    assert.equal(moveCard(cols, 'a', 'draft'), cols);
    assert.equal(moveCard(cols, 'nope', 'offer'), cols);
  });

  test('neighbourStatus steps through the statuses and stops at both ends', () => {
    assert.equal(neighbourStatus('draft', 1), 'applied');
    assert.equal(neighbourStatus('draft', -1), undefined);
    assert.equal(neighbourStatus(STATUSES.at(-1)!, 1), undefined);
  });
});
