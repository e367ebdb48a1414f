import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GenerationJob } from '../../../contracts/generation.ts';
import { applyEvent, fromJob, isActive, type DraftView, type JobEvent } from './draft-state.ts';

const job: GenerationJob = {
  id: '00000000-0000-4000-8000-000000000001',
  application_id: '00000000-0000-4000-8000-000000000002',
  resume_id: '00000000-0000-4000-8000-000000000003',
  document_types: ['research_report', 'cover_letter'],
  status: 'queued',
  progress: { research_report: 'queued', cover_letter: 'queued' },
  error: null,
  provider: 'offline',
  model: 'jobforge-offline-1',
  usage: { input_tokens: 0, output_tokens: 0, estimated_cost_usd: 0 },
  attempts: 0,
  created_at: '2026-01-01T00:00:00Z',
  started_at: null,
  finished_at: null,
};

let seq = 0;
const ev = (event: string, data: Record<string, unknown>): JobEvent => ({
  id: ++seq,
  event,
  data,
});
const run = (events: JobEvent[], from: DraftView = fromJob(job)) => events.reduce(applyEvent, from);

describe('drafting view', () => {
  test('when text streams in, then it accumulates per document and progress follows the events', () => {
    const v = run([
      ev('progress', { status: 'running', attempt: 1, restarted: false }),
      ev('progress', { document_type: 'research_report', state: 'running' }),
      ev('delta', { document_type: 'research_report', text: '# Acme' }),
      ev('delta', { document_type: 'research_report', text: '\n\nA company.' }),
    ]);
    assert.equal(v.status, 'running');
    assert.equal(v.progress.research_report, 'running');
    assert.equal(v.text.research_report, '# Acme\n\nA company.');
    assert.ok(isActive(v.status));
  });

  test('when events are replayed after a reconnect, then the ones already applied are skipped', () => {
    const first = ev('delta', { document_type: 'cover_letter', text: 'Dear ' });
    const second = ev('delta', { document_type: 'cover_letter', text: 'Acme' });
    const v = run([first, second, first, second]);
    assert.equal(v.text.cover_letter, 'Dear Acme');
    assert.equal(v.lastEventId, second.id);
  });

  test('when the job restarts, then unfinished streamed text is cleared and saved text kept', () => {
    const v = run([
      ev('delta', { document_type: 'research_report', text: 'report' }),
      ev('progress', { document_type: 'research_report', state: 'saved' }),
      ev('delta', { document_type: 'cover_letter', text: 'half a lett' }),
      ev('progress', {
        status: 'queued',
        reason: 'The server is restarting; the job will continue.',
      }),
    ]);
    assert.equal(v.status, 'queued');
    assert.match(v.notice ?? '', /restarting/);
    const after = run([ev('progress', { status: 'running', attempt: 2, restarted: true })], v);
    assert.deepEqual(after.text, { research_report: 'report' });
    assert.equal(after.notice, null);
  });

  test('when the job fails, then the error is kept and running documents are marked failed', () => {
    const v = run([
      ev('progress', { document_type: 'research_report', state: 'running' }),
      ev('progress', { retrying: true, attempt: 1, delay_ms: 1000, reason: 'overloaded' }),
      ev('error', { message: 'The API key was rejected.' }),
      ev('done', { status: 'failed' }),
    ]);
    assert.equal(v.status, 'failed');
    assert.equal(v.error, 'The API key was rejected.');
    assert.equal(v.progress.research_report, 'failed');
    assert.equal(v.progress.cover_letter, 'failed');
    assert.equal(v.notice, null);
    assert.ok(!isActive(v.status));
  });

  test('when the job is cancelled, then what was saved stays saved and the rest is cancelled', () => {
    const v = run([
      ev('progress', { document_type: 'research_report', state: 'saved' }),
      ev('document', { document_type: 'research_report', version: 1 }),
      ev('progress', { document_type: 'cover_letter', state: 'running' }),
      ev('done', { status: 'cancelled' }),
    ]);
    assert.deepEqual(v.progress, { research_report: 'saved', cover_letter: 'cancelled' });
    assert.equal(v.status, 'cancelled');
  });

  test('when an unknown event arrives, then only its id is recorded', () => {
    const before = fromJob(job);
    const e = ev('something-new', { x: 1 });
    assert.deepEqual(applyEvent(before, e), { ...before, lastEventId: e.id });
  });
});
