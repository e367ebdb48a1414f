import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JobWakeups } from './wakeups.ts';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('job wake-ups', () => {
  test('when a job is notified, then its waiting streams wake and other jobs’ streams keep waiting', async () => {
    const w = new JobWakeups();
    const since = w.mark();
    const mine = w.wait('job-a', since, 60_000);
    const other = w.wait('job-b', since, 60_000);
    w.notify('job-a');
    assert.equal(await settled(mine), true);
    assert.equal(await settled(other), false);
    w.notifyAll();
    assert.equal(await settled(other), true);
  });

  test('when the notify came between the read and the wait, then the wait returns at once', async () => {
    const w = new JobWakeups();
    const since = w.mark();
    w.notify('job-a'); // committed while the stream was reading
    assert.equal(await settled(w.wait('job-a', since, 60_000)), true);
    const later = w.mark();
    assert.equal(await settled(w.wait('job-a', later, 60_000)), false, 'an old notify is spent');
    w.notifyAll();
  });

  test('when nothing notifies, then the wait ends after its fallback time and leaves no waiter behind', async () => {
    const w = new JobWakeups();
    let ended = false;
    const waiting = w.wait('job-a', w.mark(), 5).then(() => (ended = true));
    assert.equal(ended, false, 'still waiting at first');
    await waiting;
    assert.equal(ended, true);
    // A notify now finds no stale waiter to call, and a new wait after it returns at once.
    const mark = w.mark();
    w.notify('job-a');
    assert.equal(await settled(w.wait('job-a', mark, 60_000)), true);
  });
});
