/**
 * The one load loop behind both halves of the benchmark (HTTP and direct driver): N workers,
 * each awaiting its operation then starting the next (a closed loop, like N keep-alive
 * connections), latencies taken with performance.now(). Using the same loop on both sides is
 * what makes their ratio meaningful.
 */

export interface LoopOptions {
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
}

/** One operation; worker is 0…concurrency-1, so each worker can keep its own PRNG. */
export type Operation = (worker: number) => Promise<void>;

export interface LoopResult {
  requests: number;
  errors: number;
  /** The first few error messages, for the report when errors is not 0. */
  errorSamples: string[];
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

interface Window {
  latencies: number[];
  errors: number;
  errorSamples: string[];
}

async function runWindow(
  op: Operation,
  concurrency: number,
  seconds: number,
  record: boolean,
): Promise<Window> {
  const w: Window = { latencies: [], errors: 0, errorSamples: [] };
  const end = performance.now() + seconds * 1000;
  const worker = async (id: number) => {
    while (performance.now() < end) {
      const start = performance.now();
      try {
        await op(id);
        if (record) w.latencies.push(performance.now() - start);
      } catch (err) {
        w.errors += 1;
        if (w.errorSamples.length < 5) w.errorSamples.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  return w;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Warms up (connections, JIT, caches; errors there count too), then measures. beforeMeasure
 * runs between the two, for samplers that must cover the measured window only.
 */
export async function closedLoop(
  op: Operation,
  opts: LoopOptions,
  beforeMeasure?: () => Promise<void>,
): Promise<LoopResult> {
  const warm = await runWindow(op, opts.concurrency, opts.warmupSeconds, false);
  await beforeMeasure?.();
  const started = performance.now();
  const w = await runWindow(op, opts.concurrency, opts.seconds, true);
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(w.latencies).sort();
  return {
    requests: sorted.length,
    errors: warm.errors + w.errors,
    errorSamples: [...warm.errorSamples, ...w.errorSamples].slice(0, 5),
    seconds,
    rps: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}
