import os from 'node:os';
import { openDatabase } from '../src/server/db/index.ts';
import { migrate } from '../src/server/db/migrate.ts';
import type { BenchConfig } from './bench-config.ts';
import { deferCleanup } from './cleanup.ts';
import { createBenchDatabase, type BenchDatabase, type DbKind } from './databases.ts';
import { driverOperation } from './driver.ts';
import { HttpClient, httpOperation, probe, routeTotals, type RouteTotals } from './load.ts';
import { closedLoop, type LoopResult } from './measure.ts';
import { cpuShares, sampleCpu, type CpuSample, type CpuShares } from './proc.ts';
import { datasetFacts, seed, type DatasetFacts, type SeedResult } from './seed.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { SEARCH_TERMS } from './text.ts';
import { ENDPOINTS, createWorkload, type Endpoint, type Workload } from './workload.ts';

/** Any 32+ characters: the bench signs tokens with it and gives it to the server. */
export const BENCH_SECRET = 'jobforge-bench-secret-not-for-production-use-0123456789';

export interface HttpFigures extends LoopResult {
  cpu: CpuShares;
  /** Mean time inside the server (its /metrics histogram), ms. */
  serverMeanMs: number;
}

export interface DriverFigures extends LoopResult {
  cpu: CpuShares;
}

export interface EndpointFigures {
  endpoint: Endpoint;
  http: HttpFigures;
  driver: DriverFigures;
}

export interface KindResult {
  kind: DbKind;
  migrateSeconds: number;
  seed: Omit<SeedResult, 'users'>;
  dataset: DatasetFacts;
  /** The server child's memory at the end of its HTTP runs, MiB. */
  server: { rssMb?: number; peakMb?: number };
  /** Size of one response body per endpoint, bytes. */
  responseBytes: Record<Endpoint, number>;
  endpoints: EndpointFigures[];
}

export type Log = (line: string) => void;

const CORES = os.availableParallelism();

const loopOptions = (cfg: BenchConfig) => ({
  concurrency: cfg.connections,
  seconds: cfg.seconds,
  warmupSeconds: cfg.warmupSeconds,
});

/** One run's log line; CPU taken by other processes is named, since it lowers the figures. */
const fmt = (r: LoopResult & { cpu: CpuShares }) =>
  `${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ` +
  `${r.errors} errors${r.cpu.other > 15 ? ` (other processes: ${r.cpu.other.toFixed(0)} % of a core)` : ''}`;

function failOnErrors(what: string, r: LoopResult): void {
  if (r.errors === 0) return;
  throw new Error(`${what}: ${r.errors} failed requests, e.g.\n  ${r.errorSamples.join('\n  ')}`);
}

/** The bench's own handle, closed by cleanUpAll() too if the bench is interrupted. */
async function openTracked(bdb: BenchDatabase) {
  const db = await openDatabase(bdb.config);
  return { db, close: deferCleanup(() => db.close()) };
}

/** Fresh database: migrate, seed, facts; the bench's handle is closed before the server opens it. */
async function prepare(bdb: BenchDatabase, cfg: BenchConfig, log: Log) {
  const { db, close } = await openTracked(bdb);
  try {
    const t0 = performance.now();
    await migrate(db);
    const migrateSeconds = (performance.now() - t0) / 1000;
    log(`seeding ${cfg.users} users × ${cfg.applicationsPerUser} applications…`);
    const seeded = await seed(db, {
      users: cfg.users,
      applicationsPerUser: cfg.applicationsPerUser,
      documentedPerUser: 5,
    });
    const dataset = await datasetFacts(
      db,
      SEARCH_TERMS.map((t) => t.word),
    );
    log(
      `seeded in ${seeded.seconds.toFixed(1)} s (${(seeded.textChars / 1e6).toFixed(0)} MB of text, ` +
        `database ${dataset.sizeMb.toFixed(0)} MiB, ${dataset.version})`,
    );
    return { migrateSeconds, seeded, dataset };
  } finally {
    await close();
  }
}

async function httpRun(
  server: ServerProcess,
  client: HttpClient,
  run: { workload: Workload; endpoint: Endpoint; cfg: BenchConfig; database?: string },
): Promise<HttpFigures> {
  const { workload, endpoint, cfg } = run;
  const who = { serverPid: server.pid, database: run.database };
  let before: { cpu: CpuSample; totals: RouteTotals } | undefined;
  const result = await closedLoop(
    httpOperation(client, workload, endpoint, cfg.connections),
    loopOptions(cfg),
    async () => {
      const totals = await routeTotals(client, endpoint);
      before = { totals, cpu: sampleCpu(who) };
    },
  );
  const cpu = sampleCpu(who);
  const totals = await routeTotals(client, endpoint);
  if (!before) throw new Error('no measured window');
  return {
    ...result,
    cpu: cpuShares(before.cpu, cpu, CORES),
    serverMeanMs:
      ((totals.seconds - before.totals.seconds) / (totals.count - before.totals.count)) * 1000,
  };
}

async function httpPhase(bdb: BenchDatabase, cfg: BenchConfig, workload: Workload, log: Log) {
  const server = await startServerProcess({
    ...bdb.serverEnv,
    JOBFORGE_DATA_DIR: bdb.dataDir,
    JOBFORGE_SECRET: BENCH_SECRET,
    JOBFORGE_LOG_LEVEL: 'warn',
    JOBFORGE_DATABASE_POOL_SIZE: String(cfg.connections),
  });
  const client = new HttpClient(server.url, cfg.connections);
  try {
    const probed = await probe(client, workload);
    log(`server pid ${server.pid} at ${server.url}; ${probed.notes.join('; ')}`);
    const figures = new Map<Endpoint, HttpFigures>();
    for (const endpoint of ENDPOINTS) {
      const r = await httpRun(server, client, { workload, endpoint, cfg, database: bdb.name });
      log(`HTTP   ${endpoint.padEnd(6)} ${fmt(r)}`);
      failOnErrors(`HTTP ${endpoint}`, r);
      figures.set(endpoint, r);
    }
    return { figures, probed, memory: server.memory() };
  } finally {
    client.close();
    await server.stop();
  }
}

async function driverPhase(bdb: BenchDatabase, cfg: BenchConfig, workload: Workload, log: Log) {
  const { db, close } = await openTracked(bdb);
  try {
    const figures = new Map<Endpoint, DriverFigures>();
    const who = { database: bdb.name };
    for (const endpoint of ENDPOINTS) {
      let before: CpuSample | undefined;
      const r = await closedLoop(
        driverOperation(db, workload, endpoint, cfg.connections),
        loopOptions(cfg),
        () => {
          before = sampleCpu(who);
          return Promise.resolve();
        },
      );
      const after = sampleCpu(who);
      if (!before) throw new Error('no measured window');
      const measured = { ...r, cpu: cpuShares(before, after, CORES) };
      log(`driver ${endpoint.padEnd(6)} ${fmt(measured)}`);
      failOnErrors(`driver ${endpoint}`, r);
      figures.set(endpoint, measured);
    }
    return figures;
  } finally {
    await close();
  }
}

/** One database kind end to end: fresh database, seed, HTTP against a child server, driver. */
export async function benchKind(kind: DbKind, cfg: BenchConfig, log: Log): Promise<KindResult> {
  const bdb = await createBenchDatabase(kind, cfg.postgres, cfg.connections);
  try {
    const { migrateSeconds, seeded, dataset } = await prepare(bdb, cfg, log);
    const { users, ...seedFigures } = seeded;
    const workload = await createWorkload(users, BENCH_SECRET);
    const http = await httpPhase(bdb, cfg, workload, log);
    log(
      `server memory at the end: VmRSS ${http.memory.rssMb?.toFixed(0)} MiB, ` +
        `peak ${http.memory.peakMb?.toFixed(0)} MiB`,
    );
    const driver = await driverPhase(bdb, cfg, workload, log);
    return {
      kind,
      migrateSeconds,
      seed: seedFigures,
      dataset,
      server: http.memory,
      responseBytes: http.probed.bytes,
      endpoints: ENDPOINTS.map((endpoint) => ({
        endpoint,
        http: http.figures.get(endpoint)!,
        driver: driver.get(endpoint)!,
      })),
    };
  } finally {
    await bdb.drop();
  }
}
