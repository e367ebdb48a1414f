import type { DocumentType } from '../../contracts/documents.ts';
import type { Database, Tx } from '../db/database.ts';
import { appendEvents, type NewJobEvent, type Writer } from './generation.repository.ts';
import { jobWakeups } from './wakeups.ts';

/** The worker's lease on a job was taken over: it must stop without writing anything more. */
export class LeaseLost extends Error {
  constructor() {
    super('the job lease was lost to another worker');
    this.name = 'LeaseLost';
  }
}

/**
 * A running job's event log. Deltas are coalesced (one row per ~200 ms or `flushChars`
 * characters per document) so that a fast model does not turn every token into a write; every
 * other event first flushes what is pending, so the log keeps the order things happened in.
 * Writes go one after another, each in its own short transaction as the job's owner, and each
 * renews the lease; a write that finds the lease gone raises LeaseLost.
 */
export class JobEventLog {
  private chain: Promise<unknown> = Promise.resolve();
  private pending = new Map<DocumentType, string>();
  private timer: NodeJS.Timeout | undefined;
  cancelRequested = false;
  lost = false;
  /** Writes that failed in a row (reset by the next that commits). */
  failures = 0;
  private closed = false;
  private inflight = 0;

  constructor(
    private readonly db: Database,
    private readonly userId: string,
    private readonly jobId: string,
    private readonly writer: Writer,
    private readonly opts: { flushMs: number; flushChars: number },
  ) {}

  delta(type: DocumentType, text: string): void {
    const buffered = (this.pending.get(type) ?? '') + text;
    this.pending.set(type, buffered);
    // At most one size-triggered write in flight: a flood of text coalesces instead of queueing
    // a transaction per chunk; while writes fail, only the backed-off retry writes.
    if (buffered.length >= this.opts.flushChars && this.inflight === 0 && this.failures === 0)
      void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.opts.flushMs);
  }

  /** Writes pending deltas now. */
  flush(): Promise<void> {
    return this.write([]);
  }

  emit(kind: NewJobEvent['kind'], data: Record<string, unknown>): Promise<void> {
    return this.write([{ kind, data }]);
  }

  /**
   * Runs `fn` and writes the events it returns in one transaction: a saved document and the
   * event announcing it commit together or not at all. `onCommit` runs once it has committed,
   * before the next write starts.
   */
  transaction(fn: (tx: Tx) => Promise<NewJobEvent[]>, onCommit?: () => void): Promise<void> {
    return this.write([], fn, undefined, onCommit);
  }

  /**
   * Writes `events` (fenced by the lease) and then runs `after` in the same transaction: for the
   * last word on a job, which changes its status and gives the lease up.
   */
  emitThen(events: NewJobEvent[], after: (tx: Tx) => Promise<void>): Promise<void> {
    return this.write(events, undefined, after);
  }

  private write(
    events: NewJobEvent[],
    fn?: (tx: Tx) => Promise<NewJobEvent[]>,
    after?: (tx: Tx) => Promise<void>,
    onCommit?: () => void,
  ): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const taken = new Map(this.pending);
    this.pending.clear();
    const deltas: NewJobEvent[] = [...taken].map(([document_type, text]) => ({
      kind: 'delta',
      data: { document_type, text },
    }));
    this.inflight += 1;
    const next = this.chain.then(async () => {
      if (this.lost) throw new LeaseLost();
      let written = 0;
      try {
        await this.db.withUser(this.userId, async (tx) => {
          const more = fn ? await fn(tx) : [];
          written = deltas.length + events.length + more.length;
          const r = await appendEvents(
            tx,
            this.userId,
            this.jobId,
            [...deltas, ...events, ...more],
            this.writer,
          );
          if (!r) {
            this.lost = true;
            throw new LeaseLost(); // rolls back whatever fn wrote
          }
          if (r.cancelRequested) this.cancelRequested = true;
          if (after) await after(tx);
        });
      } catch (err) {
        // Not written: the text goes back in front of what arrived since, for the next write
        // (the heartbeat's at the latest) to carry. Only a lost lease drops it: nobody may write.
        if (!this.lost) this.requeue(taken);
        throw err;
      }
      this.failures = 0;
      onCommit?.();
      // Committed: this process's streams of the job can read it now.
      if (written > 0) jobWakeups.notify(this.jobId);
    });
    this.chain = next.catch(() => {}).finally(() => (this.inflight -= 1));
    return next;
  }

  private requeue(taken: Map<DocumentType, string>): void {
    this.failures += 1;
    if (taken.size === 0) return;
    for (const [type, text] of taken) this.pending.set(type, text + (this.pending.get(type) ?? ''));
    if (this.closed) return;
    // Backing off while the database is away, so a stream does not hammer it with reconnects.
    const delay = Math.min(this.opts.flushMs * 2 ** this.failures, 5000);
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), delay);
  }

  /** Text not yet written (for tests and the final write's accounting). */
  get pendingChars(): number {
    let n = 0;
    for (const t of this.pending.values()) n += t.length;
    return n;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
