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
    if (buffered.length >= this.opts.flushChars) void this.flush().catch(() => {});
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
   * event announcing it commit together or not at all.
   */
  transaction(fn: (tx: Tx) => Promise<NewJobEvent[]>): Promise<void> {
    return this.write([], fn);
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
  ): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const deltas: NewJobEvent[] = [...this.pending].map(([document_type, text]) => ({
      kind: 'delta',
      data: { document_type, text },
    }));
    this.pending.clear();
    const next = this.chain.then(async () => {
      if (this.lost) throw new LeaseLost();
      let written = 0;
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
      // Committed: this process's streams of the job can read it now.
      if (written > 0) jobWakeups.notify(this.jobId);
    });
    this.chain = next.catch(() => {});
    return next;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
