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
