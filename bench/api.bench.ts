/**
 * `npm run bench -- web`: the board in Chromium instead (bench/web-board.ts).
 * `npm run bench -- generation`: drafting latency and cost instead (bench/generation.bench.ts).
 * `npm run bench -- hostile`: hostile payloads against /healthz instead (bench/hostile.bench.ts).
 *
 * `npm run bench`: API throughput on each database kind, over HTTP against a real server child
 * process and directly through the driver, written to docs/performance.md. Not a test: never
 * run by `npm test`. Settings: bench/bench-config.ts (BENCH_SECONDS, BENCH_DATABASES, …).
 */
import { loadBenchConfig } from './bench-config.ts';
import { cleanUpAll } from './cleanup.ts';
import { busyPercent, machineCpu, machineFacts } from './proc.ts';
import {
  PERFORMANCE_DOC,
  renderSection,
  throughputTable,
  writePerformanceDoc,
  type BenchReport,
} from './report.ts';
import { benchKind, type KindResult } from './run-kind.ts';

// Ctrl-C or a CI timeout: stop the server, close handles, drop databases and temp directories.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUpAll().finally(() => process.exit(130));
  });
}

/** Another job on the machine lowers every figure: say so up front (the report flags it too). */
async function warnIfBusy(): Promise<void> {
  const before = machineCpu();
  await new Promise((r) => setTimeout(r, 1000));
  const busy = busyPercent(before, machineCpu());
  if (busy > 20) {
    console.warn(`warning: the machine is ${busy.toFixed(0)} % busy before the bench starts`);
  }
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  await warnIfBusy();
  const started = performance.now();
  const date = new Date();
  const kinds: KindResult[] = [];
  for (const kind of config.databases) {
    const log = (line: string) => console.log(`[${kind}] ${line}`);
    kinds.push(await benchKind(kind, config, log));
  }
  const report: BenchReport = {
    date,
    machine: machineFacts(),
    config,
    kinds,
    totalSeconds: (performance.now() - started) / 1000,
  };
  console.log(`\n${throughputTable(kinds)}\n`);
  if (config.writeDocs) {
    await writePerformanceDoc(report);
    console.log(`Written to ${PERFORMANCE_DOC}; the whole section:\n`);
  }
  console.log(renderSection(report));
}

try {
  if (process.argv[2] === 'web') {
    const { runWebBench } = await import('./web-board.ts');
    await runWebBench();
  } else if (process.argv[2] === 'generation') {
    // `npm run bench -- generation`: drafting latency and cost (bench/generation.bench.ts).
    const { benchGeneration } = await import('./generation.bench.ts');
    await benchGeneration();
  } else if (process.argv[2] === 'hostile') {
    // `npm run bench -- hostile`: one user's worst input against everyone's /healthz.
    const { benchHostile } = await import('./hostile.bench.ts');
    await benchHostile();
  } else {
    await main();
  }
} catch (err) {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
