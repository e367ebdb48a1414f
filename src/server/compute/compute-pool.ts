import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../http/errors.ts';
import type { Envelope, Outcome, TaskName, Tasks } from './compute.worker.ts';

export type { TaskName } from './compute.worker.ts';
export type TaskInput<K extends TaskName> = Parameters<Tasks[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<Tasks[K]>>;

export interface ComputeOptions {
  /** Threads at most; undefined: one fewer than the cores, at least one (decision 062). */
  threads: number | undefined;
  /** How long one task may run in its thread before the thread is ended. */
  timeoutMs: number;
  /** Each thread's old-generation heap. */
  heapMb: number;
  /** Tests only: another worker module speaking the same protocol (compute.worker.ts's). */
  module?: URL;
}

export interface ComputeStats {
  /** Threads alive now (0 until the first task, and again once idle long enough). */
  threads: number;
  maxThreads: number;
  /** Tasks waiting for a thread (or for the thread given them to start). */
  queued: number;
  /** Tasks running in a thread. */
  running: number;
  /** Share of the threads' capacity used since the pool started, 0 to 1. */
  utilization: number;
  /** Tasks ended for running past the deadline or out of heap, since start. */
  aborted: number;
}

/** Tasks that may wait per thread; beyond that the server is busy (503). */
const QUEUE_PER_THREAD = 4;
// The bound is kept here, not by piscina's maxQueue: piscina does not count tasks that carry an
// AbortSignal against it, and every task here has one (its deadline).
/** A thread idle this long ends; the next task starts a new one. */
const IDLE_MS = 60_000;

// The worker is a module beside this one, resolved from import.meta.url. Compiled, that is
// compute.worker.js (a build must emit it as its own entry beside compute-pool.js). On the
// TypeScript sources, a thread first needs tsx: source-worker.js registers it, then imports
// compute.worker.ts. The parent's own flags (--test, --import tsx) are not the threads' business.
const fromSource = import.meta.url.endsWith('.ts');
const WORKER_MODULE = new URL(`./compute.worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
const SOURCE_ENTRY = new URL('./source-worker.js', import.meta.url);

/** The number of threads a pool gets when the operator names none. */
export const defaultThreads = () => Math.max(1, availableParallelism() - 1);

export const computeErrors = {
  tooComplex: (what: string, why: string) =>
    new AppError(
      422,
      'input_too_complex',
      `${what} ${why}, so the input is too complex to handle here. Try a shorter or simpler one.`,
    ),
  busy: () =>
    new AppError(
      503,
      'server_busy',
      'The server is busy with other heavy work right now; try again in a moment.',
      undefined,
      { 'retry-after': '5' },
    ),
};

/**
 * The one worker-thread pool for CPU-heavy work (decision 062): drafting, match and grounding of
 * the offline engine, resume files, job pages, PDF and DOCX rendering. It starts with no thread
 * and grows on demand up to its size; each thread has a heap limit; each task a deadline that
 * counts from when it starts running. A task past its deadline has its thread terminated (the
 * pool starts another on demand) and fails as 422 `input_too_complex`, as does one that runs out
 * of heap. Inputs and outputs are structured clones: plain data only.
 */
export class ComputePool {
  private readonly pool: Piscina;
  private running = 0;
  private aborted = 0;
  /** Tasks not started yet: failed at once if a thread cannot start, rather than left waiting. */
  private readonly waiting = new Set<(err: Error) => void>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly opts: ComputeOptions,
    private readonly log?: { error(obj: object, msg: string): void },
  ) {
    const threads = opts.threads ?? defaultThreads();
    const module = opts.module ?? WORKER_MODULE;
    this.pool = new Piscina({
      filename: fromSource ? SOURCE_ENTRY.href : module.href,
      workerData: { module: module.href },
      execArgv: [],
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_MS,
      // Between tasks a thread waits on its message port, not in Atomics.wait: work a task left
      // behind (pdf.js cleaning up) still runs.
      atomics: 'disabled',
      resourceLimits: {
        maxOldGenerationSizeMb: opts.heapMb,
        maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.round(opts.heapMb / 8))),
        stackSizeMb: 4,
      },
    });
    // A thread that fails outside any task (it could not start): piscina would throw this
    // unhandled, and the tasks queued for it would wait for a thread that never comes.
    this.pool.on('error', (err: Error) => {
      this.log?.error({ err }, 'a compute thread failed');
      for (const fail of [...this.waiting]) fail(err);
    });
  }

  /**
   * Runs `name` on `input` in a thread. `what` names the work for the error a person reads
   * ("Reading the file took longer than …"). A refusal the task raises (an AppError) arrives as
   * that AppError; `signal` abandons the task (removed from the queue, or its thread ended).
   */
  async run<K extends TaskName>(
    name: K,
    input: TaskInput<K>,
    what: string,
    signal?: AbortSignal,
  ): Promise<TaskOutput<K>> {
    // Tasks not started yet: the queue, plus at most one per thread on its way to a thread.
    if (this.waiting.size >= this.pool.maxThreads * (QUEUE_PER_THREAD + 1))
      throw computeErrors.busy();
    const { port1, port2 } = new MessageChannel();
    const deadline = new AbortController();
    let started = false;
    let broken: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: Error) => {
      broken = err;
      deadline.abort();
    };
    this.waiting.add(fail);
    port1.once('message', () => {
      started = true;
      this.waiting.delete(fail);
      this.running += 1;
      timer = setTimeout(() => deadline.abort(), this.opts.timeoutMs);
    });
    const abandon = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      const envelope: Envelope = { name, input, started: port2 };
      const outcome = (await this.pool.run(envelope, {
        signal: abandon,
        transferList: [port2],
      })) as Outcome;
      if (!outcome.ok) {
        const { status, code, message, fields, headers } = outcome.error;
        throw new AppError(status, code, message, fields, headers);
      }
      return outcome.value as TaskOutput<K>;
    } catch (err) {
      // Piscina ends the thread of a task aborted or out of heap, but with minThreads 0 starts
      // no new one for the tasks queued behind it: one more task makes it start a thread, which
      // takes the queue first. (A refusal, an AppError, leaves its thread alive.)
      if (started && !(err instanceof AppError) && this.waiting.size > 0 && !this.closing) {
        this.run('ping', undefined, 'Starting a thread').catch(() => {});
      }
      if (err instanceof AppError || signal?.aborted) throw err;
      if (broken) throw new Error(`A compute thread could not start: ${broken.message}`);
      if (deadline.signal.aborted) {
        this.aborted += 1;
        throw computeErrors.tooComplex(
          what,
          `took longer than the ${seconds(this.opts.timeoutMs)} this server allows for one task`,
        );
      }
      if ((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.aborted += 1;
        throw computeErrors.tooComplex(
          what,
          `needed more than the ${this.opts.heapMb} MiB of memory this server allows for one task`,
        );
      }
      throw err;
    } finally {
      this.waiting.delete(fail);
      clearTimeout(timer);
      if (started) this.running -= 1;
      port1.close();
    }
  }

  stats(): ComputeStats {
    return {
      threads: this.pool.threads.length,
      maxThreads: this.pool.maxThreads,
      queued: this.waiting.size,
      running: this.running,
      utilization: this.pool.utilization,
      aborted: this.aborted,
    };
  }

  /** Ends every thread; tasks still queued fail. The server calls it as it closes. */
  close(): Promise<void> {
    this.closing ??= this.pool.destroy();
    return this.closing;
  }
}

const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);
