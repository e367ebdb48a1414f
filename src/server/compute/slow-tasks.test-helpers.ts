// A worker module for the pool's own tests: the real tasks plus three that misbehave on
// purpose (loaded through ComputePool's `module` option, never by the server).
import { threadId } from 'node:worker_threads';
import runTask, { tasks } from './compute.worker.ts';

Object.assign(tasks, {
  /** Holds its thread's CPU for `ms` (a regex that backtracks, as far as the pool can tell). */
  spin: ({ ms }: { ms: number }) => {
    const end = Date.now() + ms;
    while (Date.now() < end);
    return threadId;
  },
  /** Keeps allocating until the heap limit ends the thread. */
  allocate: () => {
    const kept: number[][] = [];
    for (;;) kept.push(Array.from({ length: 100_000 }, (_, i) => i * Math.random()));
  },
  threadId: () => threadId,
});

export default runTask;
