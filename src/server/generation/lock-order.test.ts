import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { addDraftable, FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import type { Database, Tx } from '../db/database.ts';
import { openDatabase } from '../db/index.ts';
import { claimJob, updateJob, type JobPatch } from './generation.repository.ts';
import { saveDraft } from './save-draft.ts';

const f = FIXTURES[0]!;

/**
 * Wraps a transaction so that it stops right after its first write to the job's row until
 * `release` resolves: the moment a concurrent delete of the application can slip in between
 * the job's locks.
 */
function pausingAfterJobWrite(tx: Tx, paused: () => void, release: Promise<void>): Tx {
  let done = false;
  return {
    exec: (sql) => tx.exec(sql),
    async query(sql, params) {
      const result = await tx.query(sql, params);
      if (!done && /^\s*UPDATE generation_jobs/.test(sql)) {
        done = true;
        paused();
        await release;
      }
      return result as never;
    },
  };
}

// Only on the PostgreSQL server: PGlite has one connection, so two transactions never overlap
// there and this deadlock cannot happen (every other job test runs on both).
for (const kind of dbKinds().filter((k) => k === 'postgres')) {
  describe(`lock order application → job → document (${kind})`, () => {
    let s: TestServer;
    let worker: Database;
    // A plain session of the runtime login: it may see its own role's backends' wait state.
    let watcher: pg.Client;
    before(async () => {
      // No worker in the server: the test plays the worker's part on its own connections.
      s = await startTestServer(kind, { JOBFORGE_WORKER_ENABLED: 'false' });
      worker = await openDatabase(s.config.database);
      if (s.config.database.kind !== 'postgres') throw new Error('PostgreSQL only');
      watcher = new pg.Client({ connectionString: s.config.database.url });
      await watcher.connect();
    });
    after(async () => {
      await worker.close();
      await watcher.end();
      await s.stop();
    });

    /** Backends of this database waiting for a lock, other than the paused job's own. */
    const waitingForLock = async () => {
      const { rows } = await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return rows[0]!.n;
    };
    const deadlocks = async () => {
      // A fresh snapshot of the statistics each time (they are cached per transaction).
      await watcher.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await watcher.query<{ n: number }>(
        'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()',
      );
      return rows[0]!.n;
    };

    test('when an application is deleted while its job saves a document, then both finish, one after the other, without a deadlock', async () => {
      const u = await s.register();
      const appId = await addDraftable(s, u.token, f);
      const queued = await s.request('POST', `/api/v1/applications/${appId}/generate`, {
        token: u.token,
        body: { document_types: ['cover_letter'] },
      });
      assert.equal(queued.status, 202, queued.text);
      const claim = await worker.withUser(null, (tx) => claimJob(tx, 'test-worker', 60, 1));
      assert.equal(claim?.job_id, queued.body.id);
      const before = await deadlocks();

      let paused!: () => void;
      const isPaused = new Promise<void>((r) => (paused = r));
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const saving = worker
        .withUser(u.id, (raw) => {
          const tx = pausingAfterJobWrite(raw, paused, released);
          // The worker's writer of the job's row, fenced by the lease the test's claim took.
          const writeJob = async (patch: JobPatch) => {
            await updateJob(tx, u.id, claim!.job_id, patch, 'test-worker');
          };
          return saveDraft(
            tx,
            {
              userId: u.id,
              applicationId: appId,
              resumeId: queued.body.resume_id,
              type: 'cover_letter',
              content: 'Dear team,\nI built payment APIs.',
              usage: { input: 10, output: 10, costUsd: 0 },
              save: true,
              compute: s.server.app.compute,
            },
            writeJob,
          );
        })
        .then(
          () => 'saved',
          (err: unknown) => `failed: ${(err as Error).message}`,
        );
      await isPaused;
      const deleting = s.request('DELETE', `/api/v1/applications/${appId}`, { token: u.token });
      // Let the job go on once the delete waits for one of its locks (or, if it never has to,
      // once it has answered).
      let deleteAnswered = false;
      void deleting.then(() => (deleteAnswered = true));
      for (let i = 0; i < 500 && !deleteAnswered && (await waitingForLock()) === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      release();
      const [saved, deleted] = await Promise.all([saving, deleting]);

      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(saved, 'saved');
      const gone = await s.request('GET', `/api/v1/applications/${appId}`, { token: u.token });
      assert.equal(gone.status, 404);
      // A deadlock a retry hid would still be counted: give the counter time to be reported.
      for (let i = 0; i < 20 && (await deadlocks()) === before; i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal(await deadlocks(), before, 'no deadlock was detected');
    });
  });
}
