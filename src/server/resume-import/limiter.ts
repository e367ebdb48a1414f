import { tooManyRequests } from '../http/errors.ts';

/**
 * At most `running` reads at once and `waiting` queued: each read may use a PDF worker's heap or
 * a DOCX's inflated parts, so concurrency is what keeps the server's total memory bounded.
 */
export function createLimiter(running: number, waiting: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= running) {
      if (queue.length >= waiting)
        throw tooManyRequests(5, 'Too many files are being read right now; try again in a moment.');
      await new Promise<void>((resolve) => queue.push(resolve));
    } else active += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, or frees up.
      const next = queue.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
