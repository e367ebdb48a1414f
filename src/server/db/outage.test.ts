import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { spawnJobforge, type JobforgeProcess } from '../../../test/helpers/jobforge-process.ts';
import { buildApp } from '../app.ts';
import { TokenService } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';
import { openPostgres } from './postgres.ts';

/**
 * A PostgreSQL cluster of this test's own, which it may stop and start: the shared cluster on
 * 5432 serves every other test and is never touched. Debian's pg_createcluster when present
 * (run as root), else initdb and pg_ctl as the postgres user in a temporary directory.
 */
interface Cluster {
  port: number;
  /** The directory of its Unix socket (psql as the postgres user connects there). */
  socketDir: string;
  start(): void;
  stop(): void;
  /** Stops (if running) and removes everything. */
  drop(): void;
}

const PG_VERSION = '15';
const PG_BIN = `/usr/lib/postgresql/${PG_VERSION}/bin`;

function asPostgres(command: string, input?: string): string {
  const r = spawnSync('su', ['postgres', '-c', command], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

async function createCluster(): Promise<Cluster> {
  if (process.getuid?.() !== 0) {
    throw new Error('the outage test creates its own PostgreSQL cluster and must run as root');
  }
  const port = await freePort();
  const name = `jf_outage_${randomBytes(4).toString('hex')}`;
  if (hasCommand('pg_createcluster')) {
    execFileSync('pg_createcluster', [PG_VERSION, name, '--port', String(port), '--start'], {
      stdio: 'pipe',
    });
    return {
      port,
      socketDir: '/var/run/postgresql',
      start: () => execFileSync('pg_ctlcluster', [PG_VERSION, name, 'start'], { stdio: 'pipe' }),
      stop: () =>
        execFileSync('pg_ctlcluster', [PG_VERSION, name, 'stop', '--mode', 'fast'], {
          stdio: 'pipe',
        }),
      drop: () => {
        spawnSync('pg_dropcluster', [PG_VERSION, name, '--stop'], { stdio: 'pipe' });
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  asPostgres(`${PG_BIN}/initdb -D ${data} --auth-local=peer --auth-host=scram-sha-256 -U postgres`);
  const pgCtl = (args: string) => asPostgres(`${PG_BIN}/pg_ctl -D ${data} -w ${args}`);
  const start = () =>
    pgCtl(`-l ${dir}/log -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1" start`);
  start();
  return {
    port,
    socketDir: dir,
    start,
    stop: () => pgCtl('-m fast stop'),
    drop: () => {
      spawnSync('su', ['postgres', '-c', `${PG_BIN}/pg_ctl -D ${data} -m immediate stop`]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The roles of scripts/setup-postgres.sh and a database owned by the owner role. */
function prepareDatabase(cluster: Cluster): { runtime: string; owner: string } {
  asPostgres(
    `psql -p ${cluster.port} -h ${cluster.socketDir} -v ON_ERROR_STOP=1 -q -X`,
    `CREATE ROLE jobforge_app NOLOGIN;
     CREATE ROLE jobforge_admin NOLOGIN;
     CREATE ROLE jobforge_owner LOGIN CREATEDB CREATEROLE PASSWORD 'jobforge';
     CREATE ROLE jobforge_runtime LOGIN NOINHERIT PASSWORD 'jobforge';
     GRANT jobforge_app, jobforge_admin TO jobforge_owner WITH ADMIN OPTION;
     GRANT jobforge_app TO jobforge_runtime;
     CREATE DATABASE jobforge OWNER jobforge_owner;`,
  );
  const at = `127.0.0.1:${cluster.port}/jobforge`;
  return {
    runtime: `postgres://jobforge_runtime:jobforge@${at}`,
    owner: `postgres://jobforge_owner:jobforge@${at}`,
  };
}

type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'back';

interface Outcome {
  phase: Phase;
  kind: string;
  status: number;
  code: string | undefined;
  text: string;
}

const RESUME = `# Nurse\n\n${'Ten years on a busy surgical ward. '.repeat(4)}`;

for (const kind of dbKinds().filter((k) => k === 'postgres')) {
  describe(`database outage (${kind}: a cluster of the test's own, stopped and started mid-load)`, () => {
    let cluster: Cluster | undefined;
    let server: JobforgeProcess | undefined;
    let dataDir: string;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobforge-outage-'));
      cluster = await createCluster();
    });
    after(async () => {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
      cluster?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('when PostgreSQL stops mid-load, then every request answers 503 database_unavailable, readyz says 503 without driver text, and service resumes when it is back', async () => {
      const urls = prepareDatabase(cluster!);
      server = spawnJobforge(['serve'], {
        DATABASE_URL: urls.runtime,
        JOBFORGE_MIGRATION_DATABASE_URL: urls.owner,
        JOBFORGE_DATA_DIR: dataDir,
        JOBFORGE_SECRET: 'outage-test-secret-'.padEnd(40, 'x'),
        JOBFORGE_DATABASE_CONNECT_TIMEOUT_MS: '2000',
        JOBFORGE_WORKER_POLL_MS: '200',
      });
      const url = (await server.waitFor(/Job Forge is running at (http:\/\/[^\s)]+)/))[1]!;

      const registered = await fetch(`${url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'outage@example.com',
          password: 'correct horse battery',
          first_name: 'Out',
          last_name: 'Age',
          client: 'api',
        }),
      });
      assert.equal(registered.status, 201);
      const token = ((await registered.json()) as { access_token: string }).access_token;
      const auth = { authorization: `Bearer ${token}` };

      const requests: Record<string, () => Promise<Response>> = {
        list: () => fetch(`${url}/api/v1/applications`, { headers: auth, signal: hangGuard() }),
        write: () =>
          fetch(`${url}/api/v1/resumes`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Ward', content: RESUME }),
            signal: hangGuard(),
          }),
        readyz: () => fetch(`${url}/readyz`, { signal: hangGuard() }),
      };
      // A request that has not answered within 15 s is a hang, whatever the phase.
      const hangGuard = () => AbortSignal.timeout(15_000);

      // Every operation of the API, each sent once while the database is down (ids are random,
      // bodies empty): validation may still answer 4xx first, but nothing may be a 500 or hang,
      // and whatever needs the database says database_unavailable.
      const spec = (await (await fetch(`${url}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const everyRouteDuringOutage = async () => {
        let unavailable = 0;
        for (const [template, operations] of Object.entries(spec.paths)) {
          if (!template.startsWith('/api/v1/')) continue;
          const target = template.replace(/\{[^{}]+\}/g, () => crypto.randomUUID());
          for (const method of Object.keys(operations)) {
            const res = await fetch(`${url}${target}`, {
              method: method.toUpperCase(),
              headers:
                method === 'get' || method === 'delete'
                  ? auth
                  : { ...auth, 'content-type': 'application/json' },
              body: method === 'get' || method === 'delete' ? undefined : '{}',
              signal: hangGuard(),
            });
            const text = await res.text();
            const where = `${method.toUpperCase()} ${template}: ${res.status} ${text.slice(0, 200)}`;
            assert.ok(res.status < 500 || res.status === 503, where);
            if (res.status === 503) {
              assert.match(text, /"code":"database_unavailable"/, where);
              unavailable++;
            }
          }
        }
        assert.ok(unavailable >= 20, `only ${unavailable} operations reached the database`);
      };

      let phase: Phase = 'up';
      let running = true;
      const outcomes: Outcome[] = [];
      const loop = async (worker: number) => {
        const kinds = Object.keys(requests);
        for (let i = worker; running; i++) {
          const name = kinds[i % kinds.length]!;
          const started = phase;
          const res = await requests[name]!();
          const text = await res.text();
          let code: string | undefined;
          try {
            const body = JSON.parse(text) as { error?: { code?: string }; reason?: string };
            code = body.error?.code ?? body.reason;
          } catch {
            code = undefined;
          }
          outcomes.push({ phase: started, kind: name, status: res.status, code, text });
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      const count = (p: Phase, ok?: boolean) =>
        outcomes.filter((o) => o.phase === p && (ok === undefined || o.status < 400 === ok)).length;
      const until = async (check: () => boolean, what: string) => {
        const end = Date.now() + 60_000;
        while (!check()) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      // Reconnected: up again after at least two connections (the first, and one after the outage).
      let listenerUp = false;
      const watchListener = async () => {
        while (running && !listenerUp) {
          const metrics = await (await fetch(`${url}/metrics`, { signal: hangGuard() })).text();
          const up = /^jobforge_job_events_listener_up (\d+)/m.exec(metrics)?.[1];
          const connects = /^jobforge_job_events_listener_connects (\d+)/m.exec(metrics)?.[1];
          listenerUp = phase === 'back' && up === '1' && Number(connects) >= 2;
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      const loops = [0, 1, 2, 3].map(loop);
      const watching = watchListener();
      try {
        await until(() => count('up', true) >= 12, 'requests to succeed before the outage');

        phase = 'stopping';
        cluster!.stop();
        phase = 'down';
        await until(() => count('down') >= 30, 'requests during the outage');
        assert.equal(server.child.exitCode, null, 'the server is still running');
        await everyRouteDuringOutage();

        phase = 'starting';
        cluster!.start();
        phase = 'back';
        // Without restarting Job Forge: each kind of request succeeds again.
        await until(
          () =>
            Object.keys(requests).every((k) =>
              outcomes.some((o) => o.phase === 'back' && o.kind === k && o.status < 400),
            ),
          'every kind of request to succeed once the database is back',
        );
        const resumedAt = outcomes.length;
        await until(() => outcomes.length >= resumedAt + 12, 'more requests after resuming');
        await until(() => listenerUp, 'the LISTEN connection to reconnect');
      } finally {
        running = false;
        await Promise.allSettled([...loops, watching]);
      }
      await Promise.all([...loops, watching]); // a hang guard that fired fails the test here

      const down = outcomes.filter((o) => o.phase === 'down');
      for (const o of down) {
        assert.equal(o.status, 503, `${o.kind} during the outage: ${o.status} ${o.text}`);
        assert.equal(o.code, 'database_unavailable', `${o.kind}: ${o.text}`);
        // Nothing of the driver's: no socket error, address or port, no role or database name.
        assert.doesNotMatch(
          o.text,
          /ECONN|connect|127\.0\.0\.1|jobforge_|terminat|timeout exceeded/i,
          `${o.kind}: ${o.text}`,
        );
      }
      assert.ok(down.some((o) => o.kind === 'readyz'));
      assert.ok(down.some((o) => o.kind === 'write'));
      // At no moment, the stopping and starting included, a 500.
      for (const o of outcomes) {
        assert.ok(
          o.status < 400 || o.status === 503,
          `${o.phase} ${o.kind}: ${o.status} ${o.text}`,
        );
      }
      // Once back, it stays back.
      const last = outcomes.slice(-12);
      assert.ok(
        last.every((o) => o.status < 400),
        JSON.stringify(last.map((o) => [o.kind, o.status, o.code])),
      );
      assert.ok(listenerUp, 'the LISTEN connection of event streams reconnected by itself');
      assert.equal(server.child.exitCode, null, 'the server is still running');
      assert.doesNotMatch(server.output(), /uncaught|unhandled rejection/i);

      server.child.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    });
  });
}

describe('database that accepts connections and never answers (a hung server or a black hole)', () => {
  test('when every connection stalls, then requests beyond the pool answer 503 database_unavailable after the connect timeout, not a hang', async () => {
    // TCP accepts, the PostgreSQL handshake never comes: only the connect timeout ends the wait.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const url = `postgres://nobody:x@127.0.0.1:${port}/none`;
    const poolSize = 2;
    const db = openPostgres({ url, migrationUrl: url, poolSize, connectTimeoutMs: 300 });
    const secret = 'silent-database-secret-'.padEnd(40, 'x');
    const app = await buildApp({ config: loadConfig({}), db, secret, logger: false });
    const tokens = new TokenService(secret, 900, 3600);
    const token = await tokens.signAccess({
      userId: '00000000-0000-4000-8000-000000000001',
      sessionId: '00000000-0000-4000-8000-000000000002',
    });
    try {
      // Five times the pool: the ones queued for a connection give up as well.
      const answers = await Promise.all(
        Array.from({ length: poolSize * 5 }, () =>
          app.inject({
            method: 'GET',
            url: '/api/v1/applications',
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      for (const res of answers) {
        assert.equal(res.statusCode, 503, res.body);
        assert.equal(res.json().error.code, 'database_unavailable');
        assert.equal(res.headers['retry-after'], '5');
      }
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), { status: 'unavailable', reason: 'database_unavailable' });
      assert.ok(sockets.size > 0, 'the pool did try to connect');
      assert.equal(db.stats().waiting, 0, 'nothing is left queued');
    } finally {
      await app.close();
      await db.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
