import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import {
  FAKE_BRIEF,
  jsonStep,
  startFakeAnthropic,
  type FakeServer,
} from '../../../test/fakes/llm-servers.ts';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import {
  openMigratedDatabase,
  seedUser,
  type MigratedDatabase,
} from '../../../test/helpers/tenant-data.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/index.ts';
import { appendEvents, claimJob, insertJob } from './generation.repository.ts';
import { GenerationWorker } from './worker.ts';

const log = Fastify({ logger: false }).log;
const f = FIXTURES[0]!;

/** A user with a resume and `n` applications, each with a queued cover-letter job. */
async function queueJobs(db: Database, n: number): Promise<{ userId: string; jobIds: string[] }> {
  const userId = await seedUser(db, 'worker');
  const jobIds = await db.withUser(userId, async (tx) => {
    const resume = await tx.query<{ id: string }>(
      `INSERT INTO user_resumes (user_id, name, content, is_primary) VALUES ($1, 'Main', $2, true) RETURNING id`,
      [userId, f.resume],
    );
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const app = await tx.query<{ id: string }>(
        `INSERT INTO applications (user_id, name, company_name, role_title, job_description)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [userId, `app ${i}`, f.company, f.role, f.posting],
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
      ids.push(job!.id);
    }
    return ids;
  });
  return { userId, jobIds };
}

const jobs = (db: Database, ids: string[]) =>
  db.asOwner(async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      status: string;
      attempts: number;
      error: string | null;
      lease_owner: string | null;
      dones: number;
      versions: number;
    }>(
      `SELECT j.id, j.status, j.attempts, j.error, j.lease_owner,
              (SELECT count(*)::int FROM generation_job_events e WHERE e.job_id = j.id AND e.kind = 'done') AS dones,
              (SELECT count(*)::int FROM document_versions v JOIN documents d ON d.id = v.document_id
                WHERE d.application_id = j.application_id) AS versions
         FROM generation_jobs j WHERE j.id = ANY ($1::uuid[]) ORDER BY j.created_at`,
      [ids],
    );
    return rows;
  });

async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const settled = (db: Database, ids: string[]) => async () =>
  (await jobs(db, ids)).every((j) => !['queued', 'running'].includes(j.status));

for (const kind of dbKinds()) {
  describe(`generation worker (${kind})`, () => {
    let m: MigratedDatabase;
    let config: Config;
    const withWorker = (
      over: Partial<Config['worker']> = {},
      llm: Partial<Config['llm']> = {},
    ): Config => ({
      ...config,
      worker: { ...config.worker, pollMs: 20, leaseSeconds: 2, ...over },
      llm: { ...config.llm, offlineChunkDelayMs: 0, ...llm },
    });
    before(async () => {
      m = await openMigratedDatabase(kind);
      config = m.test.config;
    });
    after(() => m.drop());

    test('when two workers (two instances on one database) share 50 jobs, then each job runs exactly once', async () => {
      const { jobIds } = await queueJobs(m.db, 50);
      // On the server, a second connection pool is a second instance; PGlite has one process.
      const second = kind === 'postgres' ? await openDatabase(config.database) : m.db;
      const a = new GenerationWorker(
        m.db,
        withWorker({ concurrency: 3, maxRunningPerUser: 6 }),
        log,
      );
      const b = new GenerationWorker(
        second,
        withWorker({ concurrency: 3, maxRunningPerUser: 6 }),
        log,
      );
      a.start();
      b.start();
      try {
        await until(settled(m.db, jobIds), 120_000);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        if (second !== m.db) await second.close();
      }
      const rows = await jobs(m.db, jobIds);
      assert.equal(rows.length, 50);
      for (const j of rows) {
        assert.deepEqual(
          [j.status, j.attempts, j.dones, j.versions, j.lease_owner],
          ['succeeded', 1, 1, 1, null],
          j.id,
        );
      }
    });

    test('when two workers (two instances) share one user’s jobs, then at most one of them runs at a time (the per-user limit holds across instances)', async () => {
      const { jobIds } = await queueJobs(m.db, 6);
      const second = kind === 'postgres' ? await openDatabase(config.database) : m.db;
      const slow = { offlineChunkDelayMs: 2 };
      const a = new GenerationWorker(m.db, withWorker({ concurrency: 3 }, slow), log);
      const b = new GenerationWorker(second, withWorker({ concurrency: 3 }, slow), log);
      a.start();
      b.start();
      try {
        await until(settled(m.db, jobIds), 120_000);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        if (second !== m.db) await second.close();
      }
      const runs = await m.db.asOwner(async (tx) => {
        const { rows } = await tx.query<{ status: string; started: number; finished: number }>(
          `SELECT status, extract(epoch FROM started_at)::float8 AS started,
                  extract(epoch FROM finished_at)::float8 AS finished
             FROM generation_jobs WHERE id = ANY ($1::uuid[]) ORDER BY started_at`,
          [jobIds],
        );
        return rows;
      });
      assert.deepEqual(
        runs.map((r) => r.status),
        Array(6).fill('succeeded'),
      );
      // A job is claimed (clock time, after the claim lock) only once the previous one has
      // settled (its transaction's time, before it committed): the runs never overlap.
      for (let i = 1; i < runs.length; i++)
        assert.ok(runs[i]!.started >= runs[i - 1]!.finished, `run ${i} overlaps run ${i - 1}`);
    });

    test('when a worker died holding a job, then another takes it over after the lease and the dead one can write nothing more', async () => {
      const { userId, jobIds } = await queueJobs(m.db, 1);
      const dead = await m.db.withUser(null, (tx) => claimJob(tx, 'dead-worker', 0.3, 1));
      assert.equal(dead?.job_id, jobIds[0]);
      const w = new GenerationWorker(m.db, withWorker({ leaseSeconds: 0.3 }), log);
      w.start();
      try {
        await until(settled(m.db, jobIds));
      } finally {
        await w.stop();
      }
      const [j] = await jobs(m.db, jobIds);
      assert.deepEqual([j!.status, j!.attempts, j!.versions, j!.dones], ['succeeded', 2, 1, 1]);
      const late = await m.db.withUser(userId, (tx) =>
        appendEvents(tx, userId, jobIds[0]!, [{ kind: 'delta', data: { text: 'zombie' } }], {
          worker: 'dead-worker',
          leaseSeconds: 1,
        }),
      );
      assert.equal(late, undefined, 'fenced out');
    });

    test('when the worker stops mid-job, then the job is requeued with nothing half-saved, and the next worker finishes it once', async () => {
      const { jobIds } = await queueJobs(m.db, 1);
      const slow = new GenerationWorker(m.db, withWorker({}, { offlineChunkDelayMs: 30 }), log);
      slow.start();
      await until(async () =>
        m.db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM generation_job_events WHERE job_id = $1 AND kind = 'delta'`,
            [jobIds[0]],
          );
          return rows[0]!.n > 0;
        }),
      );
      await slow.stop();
      const [stopped] = await jobs(m.db, jobIds);
      assert.deepEqual(
        [stopped!.status, stopped!.attempts, stopped!.lease_owner, stopped!.versions],
        ['queued', 0, null, 0],
      );
      const next = new GenerationWorker(m.db, withWorker(), log);
      next.start();
      try {
        await until(settled(m.db, jobIds));
      } finally {
        await next.stop();
      }
      const [j] = await jobs(m.db, jobIds);
      assert.deepEqual([j!.status, j!.attempts, j!.versions, j!.dones], ['succeeded', 1, 1, 1]);
    });

    describe('with Anthropic (a fake server)', () => {
      let fake: FakeServer;
      before(async () => {
        fake = await startFakeAnthropic({ apiKey: 'sk-right', models: ['claude-test'] });
      });
      after(() => fake.close());
      const anthropic = (apiKey: string) =>
        withWorker(
          {},
          {
            provider: 'anthropic',
            model: 'claude-test',
            baseUrl: fake.url,
            apiKey,
            retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 100 },
          },
        );

      test('when the model streams, then the letter is what it wrote, after a 529 retried, with its token usage', async () => {
        fake.script([
          {
            kind: 'text',
            chunks: ['# Report\n', 'Only what the posting says.'],
            usage: { input: 100, output: 10 },
          },
          { kind: 'error', status: 529 },
          {
            kind: 'text',
            chunks: ['Dear team,\n', 'I built payment APIs.'],
            usage: { input: 200, output: 20 },
          },
        ]);
        fake.scriptJson([jsonStep(FAKE_BRIEF, { usage: { input: 50, output: 5 } })]);
        const { jobIds } = await queueJobs(m.db, 1);
        const w = new GenerationWorker(m.db, anthropic('sk-right'), log);
        w.start();
        try {
          await until(settled(m.db, jobIds));
        } finally {
          await w.stop();
        }
        const result = await m.db.asOwner(async (tx) => {
          const { rows } = await tx.query<{
            status: string;
            content: string;
            input_tokens: number;
            output_tokens: number;
          }>(
            `SELECT j.status, d.content, j.input_tokens, j.output_tokens FROM generation_jobs j
               JOIN documents d ON d.application_id = j.application_id AND d.document_type = 'cover_letter'
              WHERE j.id = $1`,
            [jobIds[0]],
          );
          return rows[0];
        });
        assert.deepEqual(result, {
          status: 'succeeded',
          content: 'Dear team,\nI built payment APIs.',
          input_tokens: 350, // report, letter and the posting brief
          output_tokens: 35,
        });
        const prompt = fake.requests.at(-1)!.body.messages[0].content as string;
        assert.match(
          prompt,
          /<research_report>\n# Report\nOnly what the posting says.\n<\/research_report>/,
        );
      });

      test('when the key is wrong, then the job fails once, saying the key was rejected by Anthropic, and saves nothing', async () => {
        fake.requests.length = 0;
        fake.script([]);
        const { jobIds } = await queueJobs(m.db, 1);
        const w = new GenerationWorker(m.db, anthropic('sk-wrong'), log);
        w.start();
        try {
          await until(settled(m.db, jobIds));
        } finally {
          await w.stop();
        }
        const [j] = await jobs(m.db, jobIds);
        assert.equal(j!.status, 'failed');
        assert.match(j!.error ?? '', /The API key was rejected by Anthropic/);
        // One request for the report, one for the brief beside it; neither retried.
        assert.deepEqual([j!.versions, j!.dones, fake.requests.length], [0, 1, 2]);
      });
    });
  });
}
