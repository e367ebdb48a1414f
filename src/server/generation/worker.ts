import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { AiResolver } from '../ai-settings/ai-resolver.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { claimJob } from './generation.repository.ts';
import { runJob } from './pipeline.ts';

/**
 * Claims generation jobs from the database and runs them, up to `concurrency` at a time. Every
 * instance of Job Forge on one database runs one; the claim (SKIP LOCKED plus a lease) makes
 * sure a job runs in one place at a time, and an expired lease hands a dead worker's job on.
 * Jobs queued on this instance wake it at once; jobs queued elsewhere are found by polling.
 */
export class GenerationWorker {
  readonly id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Set<Promise<void>>();
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private readonly log: FastifyBaseLogger,
    private readonly ai: AiResolver = AiResolver.serverOnly(config),
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** A job was queued: look now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Stops claiming, interrupts the jobs in progress and puts them back in the queue (their
   * attempt not counted), then resolves. Nothing half-done is saved: documents are only ever
   * saved complete.
   */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private async run(): Promise<void> {
    const { concurrency, leaseSeconds, maxRunningPerUser } = this.config.worker;
    while (!this.stopController.signal.aborted) {
      if (this.running.size >= concurrency) {
        await Promise.race(this.running);
        continue;
      }
      let claim: Awaited<ReturnType<typeof claimJob>>;
      try {
        claim = await this.db.withUser(null, (tx) =>
          claimJob(tx, this.id, leaseSeconds, maxRunningPerUser),
        );
      } catch (err) {
        if (this.stopController.signal.aborted) break;
        this.log.error({ err }, 'could not claim a generation job');
        await this.idle();
        continue;
      }
      if (!claim) {
        await this.idle();
        continue;
      }
      this.log.info({ job: claim.job_id, attempt: claim.attempt }, 'generation job claimed');
      const job = runJob(
        {
          db: this.db,
          config: this.config,
          log: this.log,
          ai: this.ai,
          workerId: this.id,
          stopping: this.stopController.signal,
        },
        claim,
      )
        .catch((err: unknown) =>
          this.log.error({ err, job: claim.job_id }, 'generation job crashed'),
        )
        .finally(() => {
          this.running.delete(job);
          // A user's next job may be claimable now that this one is done (the per-user limit).
          this.wake();
        });
      this.running.add(job);
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.config.worker.pollMs);
      this.wakeUp = done;
      if (this.stopController.signal.aborted) done();
    });
  }
}
