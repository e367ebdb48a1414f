import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { FIXTURES } from '../../../test/fixtures/drafting.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import { readEvents } from '../../../test/helpers/sse.ts';
import { openDatabase } from '../db/index.ts';
import { startServer, type RunningServer } from '../main.ts';
import Fastify from 'fastify';
import type { Database, Listening, ListenOptions } from '../db/database.ts';
import { JOB_EVENTS_CHANNEL, JobEventsListener, JobWakeups, STREAM_POLL_MS } from './wakeups.ts';

const f = FIXTURES[0]!;

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs one query on a fresh connection to `url`. */
async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

for (const kind of dbKinds()) {
  describe(`event streams across instances (${kind})`, () => {
    if (kind === 'pglite') {
      test('when the database is PGlite, then nothing LISTENs and streams poll once a second as a safety net', async () => {
        const s = await startTestServer(kind);
        try {
          assert.equal('listen' in s.server.db, false);
          assert.equal(s.server.app.jobEvents.stats().connected, false);
          assert.equal(s.server.app.jobEvents.pollMs(), STREAM_POLL_MS.pglite);
        } finally {
          await s.stop();
        }
      });
      return;
    }

    // Instance A runs the jobs; instance B (its worker disabled) only serves the streams. Both
    // share A's database, data directory and so its secret: a token from A is good on B.
    let a: TestServer;
    let b: RunningServer;
    let ownerUrl: string;
    let runtimeUrl: string;
    before(async () => {
      a = await startTestServer(kind, { JOBFORGE_WORKER_ENABLED: 'false' });
      b = await startServer(
        { ...a.config, worker: { ...a.config.worker, enabled: false } },
        { logger: false },
      );
      assert.equal(a.config.database.kind, 'postgres');
      if (a.config.database.kind !== 'postgres') return;
      ownerUrl = a.config.database.migrationUrl;
      runtimeUrl = a.config.database.url;
    });
    after(async () => {
      await b.stop();
      await a.stop();
    });

    /** A queued job of a new user, created on A. */
    const queueJob = async () => {
      const u = await a.register();
      const resume = await a.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content: f.resume },
      });
      assert.equal(resume.status, 201, resume.text);
      const app = await a.request('POST', '/api/v1/applications', {
        token: u.token,
        body: { company_name: f.company, role_title: f.role, job_description: f.posting },
      });
      assert.equal(app.status, 201, app.text);
      const job = await a.request('POST', `/api/v1/applications/${app.body.id}/generate`, {
        token: u.token,
        body: { document_types: ['cover_letter'] },
      });
      assert.equal(job.status, 202, job.text);
      return { token: u.token, jobId: job.body.id as string };
    };

    /** Follows the job's stream on B while A's worker runs it; B's listener's wake-ups. */
    const followOnB = async () => {
      const { token, jobId } = await queueJob();
      const wakesBefore = b.app.jobEvents.stats().wakes;
      const stream = readEvents(`${b.url}/api/v1/generation-jobs/${jobId}/events`, { token });
      // Started once the first stream is open (A stops it): until then jobs wait in the queue.
      a.server.app.generationWorker.start();
      a.server.app.generationWorker.wake();
      const { status, events } = await stream;
      assert.equal(status, 200);
      assert.equal(events.at(-1)?.event, 'done');
      assert.deepEqual(events.at(-1)?.data, { status: 'succeeded' });
      return b.app.jobEvents.stats().wakes - wakesBefore;
    };

    test('when instance A runs a job, then a stream on instance B is woken through NOTIFY on its own listener', async () => {
      assert.equal(b.app.jobEvents.stats().connected, true);
      assert.equal(b.app.jobEvents.pollMs(), STREAM_POLL_MS.listening);
      assert.ok((await followOnB()) > 0, 'B heard the commits of A');
    });

    test('when a NOTIFY on the channel carries something other than a job id, then it is ignored', async () => {
      // The job of the test before may still be committing after its stream ended (its last
      // writes NOTIFY too): count from a quiet moment, when no wake-up came for 300 ms.
      for (let last = -1; b.app.jobEvents.stats().wakes !== last;) {
        last = b.app.jobEvents.stats().wakes;
        await new Promise((r) => setTimeout(r, 300));
      }
      const before = b.app.jobEvents.stats();
      await query(ownerUrl, `SELECT pg_notify($1, 'not a job id'), pg_notify($1, '')`, [
        JOB_EVENTS_CHANNEL,
      ]);
      await until(() => b.app.jobEvents.stats().ignored === before.ignored + 2);
      assert.equal(b.app.jobEvents.stats().wakes, before.wakes);
    });

    test("when the listener's connection is killed, then it reconnects and is woken again", async () => {
      const { pid, connects } = b.app.jobEvents.stats();
      assert.ok(pid);
      // Same role as the listener (the owner may not signal another role's backends).
      const [killed] = await query<{ ok: boolean }>(
        runtimeUrl,
        'SELECT pg_terminate_backend($1) AS ok',
        [pid],
      );
      assert.equal(killed?.ok, true);
      await until(() => b.app.jobEvents.stats().connects === connects + 1);
      const now = b.app.jobEvents.stats();
      assert.equal(now.connected, true);
      assert.notEqual(now.pid, pid);
      assert.equal(b.app.jobEvents.pollMs(), STREAM_POLL_MS.listening);
      assert.ok((await followOnB()) > 0, 'B heard the commits of A after reconnecting');
    });

    test('when a LISTEN connection drops, then it reports down, then up again, and delivers later messages', async () => {
      const db = await openDatabase(a.config.database);
      const states: boolean[] = [];
      const payloads: string[] = [];
      const l = await db.listen!('jobforge_test_channel', (p) => payloads.push(p), {
        onState: (up) => states.push(up),
      });
      try {
        assert.deepEqual(states, [true]);
        await query(runtimeUrl, 'SELECT pg_terminate_backend($1)', [l.stats().pid]);
        await until(() => states.length === 3);
        assert.deepEqual(states, [true, false, true]);
        assert.equal(l.connected, true);
        await query(ownerUrl, `NOTIFY jobforge_test_channel, 'after'`);
        await until(() => payloads.length > 0);
        assert.deepEqual(payloads, ['after']);
        assert.equal(l.stats().connects, 2);
      } finally {
        await l.close();
        await db.close();
      }
      assert.equal(l.connected, false);
    });

    test('when an instance stops, then its listener connection is gone and it no longer shortens the poll', async () => {
      const c = await startServer(
        { ...a.config, worker: { ...a.config.worker, enabled: false } },
        { logger: false },
      );
      const { pid } = c.app.jobEvents.stats();
      assert.ok(pid);
      const listening = () =>
        query(ownerUrl, `SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid]);
      assert.equal((await listening()).length, 1);
      await c.stop();
      assert.equal(c.app.jobEvents.stats().connected, false);
      assert.equal(c.app.jobEvents.pollMs(), STREAM_POLL_MS.notListening);
      // The backend exits just after the client has closed its socket.
      await until(async () => (await listening()).length === 0);
    });
  });
}

describe('JobEventsListener', () => {
  /** A PostgreSQL Database whose listen() the test drives by hand. */
  const fakeDb = () => {
    const ctl: { send?: (p: string) => void; opts?: ListenOptions; up: boolean } = { up: true };
    const listening: Listening = {
      get connected() {
        return ctl.up;
      },
      stats: () => ({ pid: 1, connects: 1, messages: 0 }),
      close: () => {
        ctl.up = false;
        return Promise.resolve();
      },
    };
    const db = {
      kind: 'postgres',
      listen: (_channel: string, onMessage: (p: string) => void, opts?: ListenOptions) => {
        ctl.send = onMessage;
        ctl.opts = opts;
        return Promise.resolve(listening);
      },
    } as unknown as Database;
    return { db, ctl };
  };

  test('when the listener goes down, then waiting streams look at once and poll often until it is back', async () => {
    const { db, ctl } = fakeDb();
    const wakeups = new JobWakeups();
    const l = new JobEventsListener(db, wakeups, Fastify({ logger: false }).log);
    assert.equal(l.pollMs(), STREAM_POLL_MS.notListening, 'not started yet');
    await l.start();
    assert.equal(l.pollMs(), STREAM_POLL_MS.listening);
    let woken = false;
    const waiting = wakeups
      .wait('00000000-0000-4000-8000-000000000001', wakeups.mark(), 60_000)
      .then(() => (woken = true));
    ctl.up = false;
    ctl.opts!.onState!(false);
    await waiting;
    assert.equal(woken, true);
    assert.equal(l.pollMs(), STREAM_POLL_MS.notListening);
    ctl.up = true;
    ctl.opts!.onState!(true);
    assert.equal(l.pollMs(), STREAM_POLL_MS.listening);
    await l.stop();
  });

  test('when a job id arrives, then that job wakes, whatever the case of the id the stream used', async () => {
    const { db, ctl } = fakeDb();
    const wakeups = new JobWakeups();
    const l = new JobEventsListener(db, wakeups, Fastify({ logger: false }).log);
    await l.start();
    const since = wakeups.mark();
    const waiting = wakeups.wait('ABCDEF00-0000-4000-8000-000000000001', since, 60_000);
    ctl.send!('abcdef00-0000-4000-8000-000000000001');
    ctl.send!("'; DROP TABLE users; --");
    await waiting;
    assert.deepEqual([l.stats().wakes, l.stats().ignored], [1, 1]);
    await l.stop();
  });
});
