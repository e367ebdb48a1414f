import type { FastifyBaseLogger } from 'fastify';
import { UUID_RE, type Database, type Listening } from '../db/database.ts';

/** The NOTIFY channel appendEvents signals on, with the job's id as the payload. */
export const JOB_EVENTS_CHANNEL = 'jobforge_job_events';

/**
 * Wakes this process's event streams when a job's events have been committed here, so that a
 * stream does not have to poll the table to notice them (decision 013). Streams still poll as a
 * fallback: for events written by another instance on the same PostgreSQL database, and for a
 * wake-up that came between a stream's read and its wait (the `since` mark covers that case).
 */
export class JobWakeups {
  private seq = 0;
  /** The last notify per job; cleared wholesale when large (a lost mark costs one poll). */
  private last = new Map<string, number>();
  private waiters = new Map<string, Set<() => void>>();

  /** A mark to take before reading a job's events; pass it to wait(). */
  mark(): number {
    return this.seq;
  }

  /** Events of this job were committed: wake its streams. */
  notify(jobId: string): void {
    jobId = jobId.toLowerCase();
    if (this.last.size > 10_000) this.last.clear();
    this.last.set(jobId, ++this.seq);
    for (const wake of this.waiters.get(jobId) ?? []) wake();
  }

  /** Wakes every stream (the server is closing). */
  notifyAll(): void {
    for (const set of this.waiters.values()) for (const wake of set) wake();
  }

  /**
   * Resolves when the job is notified after `since`, or after `ms` at the latest. Resolves at
   * once if a notify came after `since` already.
   */
  wait(jobId: string, since: number, ms: number): Promise<void> {
    jobId = jobId.toLowerCase(); // a URL may spell the id in capitals; the database never does
    if ((this.last.get(jobId) ?? 0) > since) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiters.get(jobId) ?? new Set();
      this.waiters.set(jobId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(jobId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }
}

/**
 * One per process: the worker's writes and the routes' streams meet here. Several servers in
 * one process (tests) share it; a wake-up for another server's job only costs a poll.
 */
export const jobWakeups = new JobWakeups();

/**
 * How long an event stream waits for a wake-up before it looks anyway (decision 013). PGlite:
 * every writer is in this process, so only a missed wake-up needs the poll. PostgreSQL: while
 * this instance LISTENs, other instances' commits wake it too, so the poll is a safety net;
 * while the listener is down (reconnecting) streams poll often, as before LISTEN/NOTIFY.
 */
export const STREAM_POLL_MS = { pglite: 1000, listening: 2000, notListening: 150 } as const;

/**
 * One per server on PostgreSQL: LISTENs for every instance's job event commits and feeds them
 * to the process's JobWakeups. The payload is only a job id (never user data) and is checked
 * before use; a stream still reads its events through its own tenant transaction.
 */
export class JobEventsListener {
  private listening: Listening | undefined;
  private wakes = 0;
  private ignored = 0;

  constructor(
    private readonly db: Database,
    private readonly wakeups: JobWakeups,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts listening (PostgreSQL only). Resolves once connected, or once the first try failed. */
  async start(): Promise<void> {
    if (!this.db.listen || this.listening) return;
    this.listening = await this.db.listen(
      JOB_EVENTS_CHANNEL,
      (payload) => {
        if (!UUID_RE.test(payload)) {
          this.ignored++;
          return;
        }
        this.wakes++;
        this.wakeups.notify(payload);
      },
      {
        onError: (err) =>
          this.log.warn(
            { err },
            `LISTEN ${JOB_EVENTS_CHANNEL} connection lost; reconnecting, event streams poll every ${STREAM_POLL_MS.notListening} ms meanwhile`,
          ),
        onState: (up) => {
          // Streams waiting out the long poll look now and then poll often until it is back.
          if (!up) this.wakeups.notifyAll();
          else this.log.info(`LISTEN ${JOB_EVENTS_CHANNEL}: connected`);
        },
      },
    );
  }

  /** How long a stream waits for a wake-up now. */
  pollMs(): number {
    if (this.db.kind === 'pglite') return STREAM_POLL_MS.pglite;
    return this.listening?.connected ? STREAM_POLL_MS.listening : STREAM_POLL_MS.notListening;
  }

  /** For tests and operators: whether it listens, its backend, wake-ups given, payloads refused. */
  stats() {
    const l = this.listening?.stats();
    return {
      connected: this.listening?.connected ?? false,
      pid: l?.pid,
      connects: l?.connects ?? 0,
      wakes: this.wakes,
      ignored: this.ignored,
    };
  }

  async stop(): Promise<void> {
    const l = this.listening;
    this.listening = undefined;
    await l?.close();
  }
}
