/**
 * `npm run bench -- hostile`: each hostile payload (test/hostile/payloads.ts) against a real
 * `jobforge serve` child process on each database kind, while a /healthz loop in this process
 * records the worst wait: how long one user's worst input holds everyone else up. Goal on 2
 * cores (issue 9): every payload's worst /healthz wait under 100 ms.
 *
 * A payload still running after BENCH_HOSTILE_CEILING_SECONDS (default 120) is abandoned: the
 * server is killed (it may be stuck on one CPU-bound task) and started again on the same data.
 * BENCH_HOSTILE_LABEL names the run in docs/performance.md ("before …" / "after …"): a run
 * replaces the table of the same label and keeps the others, so before/after stay side by side.
 */
import os from 'node:os';
import {
  PAYLOADS,
  signUp,
  startGiantChunkServer,
  watchHealthz,
  type PayloadContext,
} from '../test/hostile/payloads.ts';
import { loadBenchConfig } from './bench-config.ts';
import { cleanUpAll, deferCleanup } from './cleanup.ts';
import { createBenchDatabase, type DbKind } from './databases.ts';
import { machineFacts } from './proc.ts';
import { PERFORMANCE_DOC, writeSubsection } from './report.ts';
import { BENCH_SECRET } from './run-kind.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const SECTION = '## Hostile input (npm run bench -- hostile)';
const NAMES = { pglite: 'PGlite', postgres: 'PostgreSQL' } as const;

interface Figure {
  payload: string;
  ms: number;
  worstHealthzMs: number;
  statuses: string;
  abandoned: boolean;
}

async function benchKind(
  kind: DbKind,
  ceilingMs: number,
  log: (l: string) => void,
): Promise<Figure[]> {
  const cfg = loadBenchConfig();
  const bdb = await createBenchDatabase(kind, cfg.postgres, 5);
  const giantModel = await startGiantChunkServer();
  const closeModel = deferCleanup(() => giantModel.close());
  const env = {
    ...bdb.serverEnv,
    JOBFORGE_DATA_DIR: bdb.dataDir,
    JOBFORGE_SECRET: BENCH_SECRET,
    JOBFORGE_LOG_LEVEL: 'warn',
    JOBFORGE_ALLOW_PRIVATE_URLS: 'true',
    JOBFORGE_LLM_MAX_ATTEMPTS: '1',
    JOBFORGE_JOB_MAX_ATTEMPTS: '1',
    JOBFORGE_OFFLINE_CHUNK_DELAY_MS: '0',
  };
  let server: ServerProcess = await startServerProcess(env);
  const figures: Figure[] = [];
  try {
    // Tokens are JWTs signed with the bench secret: they stay valid across a restart.
    const ctx: PayloadContext = {
      session: await signUp(server.url),
      other: await signUp(server.url, 'victim'),
      giantModel,
    };
    for (const payload of PAYLOADS) {
      const watch = watchHealthz(server.url, 20, ceilingMs);
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        payload.run(ctx).then(
          (statuses) => statuses.join(','),
          (err: unknown) => `error: ${(err as Error).message.slice(0, 80)}`,
        ),
        new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ceilingMs))),
      ]);
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (outcome === undefined) {
        log(`${payload.name}: still running after ${ceilingMs / 1000} s, restarting the server`);
        await server.stop();
        const health = await watch.stop();
        figures.push({
          payload: payload.name,
          ms,
          worstHealthzMs: Math.max(health.worstMs, ms),
          statuses: '—',
          abandoned: true,
        });
        server = await startServerProcess(env);
        for (const s of [ctx.session, ctx.other]) s.base = server.url;
        continue;
      }
      const health = await watch.stop();
      figures.push({
        payload: payload.name,
        ms,
        worstHealthzMs: health.worstMs,
        statuses: outcome,
        abandoned: false,
      });
      log(
        `${payload.name}: ${ms.toFixed(0)} ms, worst /healthz ${health.worstMs.toFixed(0)} ms (${outcome.slice(0, 60)})`,
      );
    }
  } finally {
    await server.stop();
    await closeModel();
    await bdb.drop();
  }
  return figures;
}

const fmt = (f: Figure | undefined, key: 'ms' | 'worstHealthzMs') =>
  !f ? '' : f.abandoned ? `> ${(f.ms / 1000).toFixed(0)} s (abandoned)` : f[key].toFixed(0);

/** "40 × 401/429" rather than forty numbers. */
function summarise(statuses: string): string {
  const counts = new Map<string, number>();
  for (const s of statuses.split(',')) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => (n > 1 ? `${n}× ${s}` : s)).join(', ');
}

export async function benchHostile(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUpAll().finally(() => process.exit(130)));
  }
  const cfg = loadBenchConfig();
  const ceilingMs = Number(process.env.BENCH_HOSTILE_CEILING_SECONDS ?? 120) * 1000;
  const label = process.env.BENCH_HOSTILE_LABEL ?? 'after';
  const load = os.loadavg()[0] ?? 0;
  const date = new Date();
  const results = new Map<DbKind, Figure[]>();
  for (const kind of cfg.databases) {
    results.set(kind, await benchKind(kind, ceilingMs, (l) => console.log(`[${kind}] ${l}`)));
  }
  const m = machineFacts();
  const kinds = [...results.keys()];
  const header = `| Payload | ${kinds.map((k) => `${NAMES[k]} ms | ${NAMES[k]} worst /healthz ms`).join(' | ')} | Answers |`;
  const rule = `| --- | ${kinds.map(() => '--- | ---').join(' | ')} | --- |`;
  const rows = PAYLOADS.map((p) => {
    const cells = kinds.map((k) => {
      const f = results.get(k)!.find((x) => x.payload === p.name);
      return `${fmt(f, 'ms')} | ${fmt(f, 'worstHealthzMs')}`;
    });
    const answers = summarise(
      results.get(kinds[0]!)!.find((x) => x.payload === p.name)?.statuses ?? '',
    );
    return `| ${p.name} | ${cells.join(' | ')} | ${answers} |`;
  });
  const worst = Math.max(...[...results.values()].flat().map((f) => f.worstHealthzMs));
  const text = [
    `### ${label}`,
    '',
    `Run on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${m.cores} cores, ${m.cpuModel}, Node ${process.version}, load average ${load.toFixed(1)} at the start. A real \`jobforge serve\` child per database; /healthz asked every 20 ms from the bench process, one request at a time. Worst /healthz wait over all payloads: **${worst.toFixed(0)} ms** (goal: under 100 ms).`,
    '',
    header,
    rule,
    ...rows,
    '',
  ].join('\n');
  if (cfg.writeDocs) {
    await writeSubsection(
      SECTION,
      `Each payload of \`test/hostile/payloads.ts\` (the largest inputs the API accepts, built to trip super-linear patterns and loops), timed from its first request to its last answer (drafting payloads: to the job's end), with the worst wait of a /healthz loop running meanwhile. A payload still running after ${ceilingMs / 1000} s is abandoned and the server restarted.`,
      `### ${label}`,
      text,
    );
    console.log(`Written to ${PERFORMANCE_DOC}:\n`);
  }
  console.log(text);
}
