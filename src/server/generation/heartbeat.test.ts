import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import {
  openMigratedDatabase,
  seedUser,
  type MigratedDatabase,
} from '../../../test/helpers/tenant-data.ts';
import type { Database } from '../db/database.ts';
import { insertJob } from './generation.repository.ts';
import { GenerationWorker } from './worker.ts';

const f = FIXTURES[0]!;

/**
 * The database as the worker sees it, except that while `failing` every transaction of a user
 * is refused the way a dropped connection is (57P01, the server terminating the backend). The
 * rest of the database keeps working, so the test can watch.
 */
function flaky(db: Database): { db: Database; fail(on: boolean): void; refused: () => number } {
  let failing = false;
  let refused = 0;
  const withUser: Database['withUser'] = (userId, fn) => {
    if (failing && userId !== null) {
      refused += 1;
      return Promise.reject(
        Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        }),
      );
    }
    return db.withUser(userId, fn);
  };
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'withUser') return withUser;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { db: wrapped, fail: (on) => (failing = on), refused: () => refused };
}

for (const kind of dbKinds()) {
  describe(`a database error during a running job (${kind})`, () => {
    let m: MigratedDatabase;
    before(async () => {
      m = await openMigratedDatabase(kind);
    });
    after(() => m.drop());

    test('when the job’s writes fail for a while mid-stream, then the heartbeat retries and logs it, the job is not cancelled, and no streamed text is lost', async () => {
      const userId = await seedUser(m.db, 'heartbeat');
      const jobId = await m.db.withUser(userId, async (tx) => {
        const resume = await tx.query<{ id: string }>(
          `INSERT INTO user_resumes (user_id, name, content, is_primary) VALUES ($1, 'Main', $2, true) RETURNING id`,
          [userId, f.resume],
        );
        const app = await tx.query<{ id: string }>(
          `INSERT INTO applications (user_id, name, company_name, role_title, job_description)
           VALUES ($1, 'app', $2, $3, $4) RETURNING id`,
          [userId, f.company, f.role, f.posting],
        );
        const job = await insertJob(tx, userId, {
          applicationId: app.rows[0]!.id,
          resumeId: resume.rows[0]!.id,
          types: ['cover_letter'],
          provider: 'offline',
          model: 'jobforge-offline-1',
          promptVersions: {},
          idempotencyKey: undefined,
          maxAttempts: 3,
        });
        return job!.id;
      });
      const logged: { level: number; msg: string }[] = [];
      const log = Fastify({
        logger: {
          level: 'warn',
          stream: { write: (line: string) => void logged.push(JSON.parse(line) as never) },
        },
      }).log;
      const base = m.test.config;
      const config = {
        ...base,
        // A beat every second; the outage below (1.2 s) is well within the lease.
        worker: { ...base.worker, pollMs: 20, leaseSeconds: 3 },
        llm: { ...base.llm, offlineChunkDelayMs: 100 },
      };
      const net = flaky(m.db);
      const worker = new GenerationWorker(net.db, config, log);
      const deltas = async () =>
        m.db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ text: string }>(
            `SELECT data->>'text' AS text FROM generation_job_events
              WHERE job_id = $1 AND kind = 'delta' AND data->>'document_type' = 'cover_letter'
              ORDER BY seq`,
            [jobId],
          );
          return rows.map((r) => r.text);
        });
      worker.start();
      try {
        for (let i = 0; i < 1000 && (await deltas()).length === 0; i++)
          await new Promise((r) => setTimeout(r, 10));
        net.fail(true);
        await new Promise((r) => setTimeout(r, 1200));
        net.fail(false);
        for (let i = 0; i < 3000; i++) {
          const status = await m.db.asOwner(async (tx) => {
            const { rows } = await tx.query<{ status: string }>(
              'SELECT status FROM generation_jobs WHERE id = $1',
              [jobId],
            );
            return rows[0]!.status;
          });
          if (status !== 'running' && status !== 'queued') break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await worker.stop();
      }
      assert.ok(net.refused() > 0, 'the outage refused some writes');
      const result = await m.db.asOwner(async (tx) => {
        const { rows } = await tx.query<{
          status: string;
          error: string | null;
          cancel_requested: boolean;
          attempts: number;
          content: string;
        }>(
          `SELECT j.status, j.error, j.cancel_requested, j.attempts, d.content
             FROM generation_jobs j
             JOIN documents d ON d.application_id = j.application_id AND d.document_type = 'cover_letter'
            WHERE j.id = $1`,
          [jobId],
        );
        return rows[0];
      });
      assert.deepEqual(
        result && [result.status, result.error, result.cancel_requested, result.attempts],
        ['succeeded', null, false, 1],
      );
      // Every delta refused during the outage was written later, in order.
      assert.equal((await deltas()).join(''), result!.content);
      assert.ok(
        logged.some((l) => l.msg === 'job heartbeat could not be written; retrying'),
        JSON.stringify(logged.map((l) => l.msg)),
      );
    });
  });
}
