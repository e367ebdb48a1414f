import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../http/errors.ts';
import { createLimiter } from './limiter.ts';

test('when more reads arrive than may run, then they wait their turn, and beyond the queue they get 429', async () => {
  const run = createLimiter(2, 1);
  let active = 0;
  let peak = 0;
  const gates: (() => void)[] = [];
  const task = () =>
    new Promise<number>((resolve) => {
      active += 1;
      peak = Math.max(peak, active);
      gates.push(() => {
        active -= 1;
        resolve(peak);
      });
    });
  const first = run(task);
  const second = run(task);
  const third = run(task);
  await assert.rejects(run(task), (err) => err instanceof AppError && err.status === 429);
  await new Promise((r) => setImmediate(r));
  assert.equal(gates.length, 2, 'the third waits');
  gates.shift()!();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(gates.length, 2, 'the third got the freed slot');
  for (const open of gates.splice(0)) open();
  await Promise.all([second, third]);
  assert.equal(peak, 2);
});
