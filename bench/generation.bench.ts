/**
 * `npm run bench -- generation`: what Job Forge adds to drafting, on each database kind, against
 * a real server child process and a fake OpenAI-compatible model streaming at a fixed rate:
 *
 * (a) latency added before the first token reaches an SSE client (first delta at the client
 *     minus the moment the fake wrote its first token), over single-document jobs one at a time;
 * (b) the three-document pipeline's wall time against the ideal (report + max(resume, letter));
 * (c) the offline engine per application (in-process engine alone, and end to end);
 * (d) what an open event stream costs while it waits for events (decision 013).
 *
 * Written to docs/performance.md, section "Generation". Settings: bench/bench-config.ts.
 */
import os from 'node:os';
import { ComputePool } from '../src/server/compute/compute-pool.ts';
import { OfflineProvider } from '../src/server/llm/offline/offline-provider.ts';
import { renderPrompt } from '../src/server/llm/prompts.ts';
import type { DraftTask } from '../src/server/llm/provider.ts';
import { startFakeOpenAi, type FakeServer } from '../test/fakes/llm-servers.ts';
import { FIXTURES } from '../test/fixtures/drafting.ts';
import { loadBenchConfig, type BenchConfig } from './bench-config.ts';
import { cleanUpAll, deferCleanup } from './cleanup.ts';
import { createBenchDatabase, type BenchDatabase, type DbKind } from './databases.ts';
import { percentile } from './measure.ts';
import { cpuShares, machineFacts, sampleCpu } from './proc.ts';
import { PERFORMANCE_DOC, replaceSection } from './report.ts';
import { BENCH_SECRET } from './run-kind.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const SECTION = '## Generation (npm run bench -- generation)';
const NAMES = { pglite: 'PGlite', postgres: 'PostgreSQL' } as const;
/** The fake model's pace: one token per chunk, 50 tokens/s. */
const TOKEN_MS = 20;
const tokens = (n: number) => Array.from({ length: n }, (_, i) => `tok${i} `);
const f = FIXTURES[0]!;

interface KindFigures {
  kind: DbKind;
  /** (a) ms added before the first token reaches the client. */
  addedMs: number[];
  /** (a) ms from POST /generate to the first delta at the client. */
  postToFirstMs: number[];
  /** (b) wall ms of three-document jobs, and each one's ideal from the fake's own timings. */
  pipelineMs: number[];
  idealMs: number[];
  /** (c) end-to-end ms per application, offline engine without pauses. */
  offlineMs: number[];
  /** (d) CPU % of one core with n streams open on a quiet job. */
  followers: { streams: number; server: number; backends?: number }[];
}

interface Session {
  url: string;
  token: string;
  appId: string;
}

async function call(
  s: { url: string; token?: string },
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method,
    headers: {
      ...(s.token ? { authorization: `Bearer ${s.token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

async function newSession(url: string, name: string): Promise<Session> {
  const reg = await call({ url }, 'POST', '/auth/register', {
    email: `${name}-${Date.now()}@bench.example`,
    password: 'correct horse battery',
    first_name: 'Bench',
    last_name: name,
    client: 'api',
  });
  const s = { url, token: reg.access_token as string };
  await call(s, 'POST', '/resumes', { name: 'Main', content: f.resume });
  const app = await call(s, 'POST', '/applications', {
    company_name: f.company,
    role_title: f.role,
    job_description: f.posting,
  });
  return { ...s, appId: app.id as string };
}

/**
 * Follows a job's event stream; resolves at `done` with when the first delta arrived
 * (performance.now(), the fake's clock). `close` drops the connection early.
 */
function follow(s: Session, jobId: string) {
  const controller = new AbortController();
  const done = (async () => {
    const res = await fetch(`${s.url}/api/v1/generation-jobs/${jobId}/events`, {
      headers: { authorization: `Bearer ${s.token}` },
      signal: controller.signal,
    });
    let firstDeltaAt: number | undefined;
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes('event: delta')) firstDeltaAt ??= performance.now();
          if (block.includes('event: done')) return { firstDeltaAt, data: block };
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
    return { firstDeltaAt, data: '' };
  })();
  return { done, close: () => controller.abort() };
}

async function generate(s: Session, types?: string[]): Promise<string> {
  const job = await call(s, 'POST', `/applications/${s.appId}/generate`, {
    ...(types ? { document_types: types } : {}),
  });
  return job.id as string;
}

/** (a): single-document jobs one after another, each with a fresh stream. */
async function firstToken(s: Session, fake: FakeServer, jobs: number) {
  const addedMs: number[] = [];
  const postToFirstMs: number[] = [];
  for (let i = 0; i < jobs; i++) {
    fake.script([{ kind: 'text', chunks: tokens(20), delayMs: TOKEN_MS }]);
    const before = fake.requests.length;
    const posted = performance.now();
    const id = await generate(s, ['research_report']);
    const { firstDeltaAt, data } = await follow(s, id).done;
    if (!data.includes('succeeded')) throw new Error(`job ${id} did not succeed: ${data}`);
    // The report's stream; the posting brief asked for beside it does not stream.
    const sent = fake.requests.slice(before).find((r) => r.body?.stream)?.firstChunkAt;
    if (firstDeltaAt === undefined || sent === undefined) throw new Error('no first token seen');
    addedMs.push(firstDeltaAt - sent);
    postToFirstMs.push(firstDeltaAt - posted);
  }
  return { addedMs, postToFirstMs };
}

/**
 * (b): three documents of `n` tokens each. The ideal is what the model itself took: the report's
 * stream (request to end) plus the longer of the resume's and the letter's. The posting brief,
 * asked for while the report streams, is left out: the fake answers it at once, so it is never
 * the slower of the two, and the pipeline's wall time shows if waiting for it ever costs.
 */
async function pipeline(s: Session, fake: FakeServer, jobs: number, n: number) {
  const wall: number[] = [];
  const ideal: number[] = [];
  for (let i = 0; i < jobs; i++) {
    const before = fake.requests.length;
    fake.script(
      Array.from({ length: 3 }, () => ({
        kind: 'text' as const,
        chunks: tokens(n),
        delayMs: TOKEN_MS,
      })),
    );
    const posted = performance.now();
    const id = await generate(s);
    const { data } = await follow(s, id).done;
    if (!data.includes('succeeded')) throw new Error(`job ${id} did not succeed: ${data}`);
    wall.push(performance.now() - posted);
    const [report, ...rest] = fake.requests
      .slice(before)
      .filter((r) => r.body?.stream)
      .map((r) => (r.endedAt ?? Number.NaN) - (r.receivedAt ?? Number.NaN));
    ideal.push(report! + Math.max(...rest));
  }
  return { wall, ideal };
}

/** (c) end to end: the user's own setting switches their drafts to the offline engine. */
async function offlineEndToEnd(s: Session, jobs: number) {
  await call(s, 'PUT', '/users/me/ai-settings', { provider: 'offline' });
  const wall: number[] = [];
  for (let i = 0; i < jobs; i++) {
    const posted = performance.now();
    const id = await generate(s);
    const { data } = await follow(s, id).done;
    if (!data.includes('succeeded')) throw new Error(`offline job ${id} failed: ${data}`);
    wall.push(performance.now() - posted);
  }
  return wall;
}

/** (c) the engine alone, in this process (its compute pool): the three drafts for each fixture. */
async function offlineEngine(rounds: number): Promise<number[]> {
  const compute = new ComputePool({ threads: undefined, timeoutMs: 60_000, heapMb: 256 });
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const fx of FIXTURES) {
      // One provider per job, as the pipeline makes them: the posting is analysed once.
      const engine = new OfflineProvider({ chunkDelayMs: 0, compute });
      const started = performance.now();
      let report = '';
      for (const task of ['research_report', 'optimized_resume', 'cover_letter'] as DraftTask[]) {
        const inputs = {
          job: {
            company: fx.company,
            role: fx.role,
            location: fx.location,
            description: fx.posting,
          },
          resume: fx.resume,
          report: task === 'research_report' ? undefined : report,
        };
        const { system, prompt } = renderPrompt(task, inputs);
        let text = '';
        for await (const e of engine.streamText({
          task,
          system,
          prompt,
          inputs,
          maxOutputTokens: 4096,
        }))
          if (e.type === 'delta') text += e.text;
        if (task === 'research_report') report = text;
      }
      times.push(performance.now() - started);
    }
  }
  await compute.close();
  return times;
}

/** (d): n streams open on a job that is running but quiet (the model stalls). */
async function followers(
  s: Session,
  fake: FakeServer,
  server: ServerProcess,
  database: string | undefined,
  counts: number[],
  windowMs: number,
) {
  fake.script([{ kind: 'stall', chunks: [] }]);
  const id = await generate(s, ['research_report']);
  const out: KindFigures['followers'] = [];
  for (const streams of counts) {
    const open = Array.from({ length: streams }, () => follow(s, id));
    await new Promise((r) => setTimeout(r, 1000));
    const a = sampleCpu({ serverPid: server.pid, database });
    await new Promise((r) => setTimeout(r, windowMs));
    const b = sampleCpu({ serverPid: server.pid, database });
    const shares = cpuShares(a, b, machineFacts().cores);
    // Backends that exit inside the window take their CPU time with them: never below 0.
    out.push({
      streams,
      server: shares.server ?? 0,
      backends: shares.backends === undefined ? undefined : Math.max(0, shares.backends),
    });
    for (const o of open) o.close();
    await Promise.allSettled(open.map((o) => o.done));
  }
  await call(s, 'POST', `/generation-jobs/${id}/cancel`, {});
  return out;
}

async function benchKind(kind: DbKind, cfg: BenchConfig, log: (l: string) => void) {
  const bdb: BenchDatabase = await createBenchDatabase(kind, cfg.postgres, 5);
  const fake = await startFakeOpenAi({});
  const closeFake = deferCleanup(() => fake.close());
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess({
      ...bdb.serverEnv,
      JOBFORGE_DATA_DIR: bdb.dataDir,
      JOBFORGE_SECRET: BENCH_SECRET,
      JOBFORGE_LOG_LEVEL: 'warn',
      JOBFORGE_LLM_PROVIDER: 'openai-compatible',
      JOBFORGE_LLM_BASE_URL: fake.url,
      JOBFORGE_LLM_MODEL: 'bench-model',
      JOBFORGE_OFFLINE_CHUNK_DELAY_MS: '0',
    });
    const s = await newSession(server.url, 'gen');
    log(`server pid ${server.pid}; (a) ${cfg.generation.jobs} single-document jobs`);
    const a = await firstToken(s, fake, cfg.generation.jobs);
    log(`(b) ${cfg.generation.pipelineJobs} three-document jobs`);
    const b = await pipeline(s, fake, cfg.generation.pipelineJobs, 100);
    log(`(d) open streams ${cfg.generation.followers.join(', ')}`);
    const d = await followers(
      await newSession(server.url, 'follow'),
      fake,
      server,
      bdb.name,
      cfg.generation.followers,
      5000,
    );
    log('(c) offline engine, end to end');
    const c = await offlineEndToEnd(await newSession(server.url, 'offline'), 10);
    return {
      kind,
      addedMs: a.addedMs,
      postToFirstMs: a.postToFirstMs,
      pipelineMs: b.wall,
      idealMs: b.ideal,
      offlineMs: c,
      followers: d,
    } satisfies KindFigures;
  } finally {
    await server?.stop();
    await closeFake();
    await bdb.drop();
  }
}

const ms = (x: number) => Math.round(x).toLocaleString('en');
const sorted = (xs: number[]) => [...xs].sort((p, q) => p - q);
const p = (xs: number[], q: number) => percentile(sorted(xs), q);
const mean = (xs: number[]) => xs.reduce((t, x) => t + x, 0) / xs.length;
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

function render(
  load: number,
  kinds: KindFigures[],
  engineMs: number[],
  cfg: BenchConfig,
  date: Date,
  seconds: number,
) {
  const m = machineFacts();
  const first = table(
    ['Database', 'Added p50 ms', 'Added p99 ms', 'Added max ms', 'POST → first text p50 ms'],
    kinds.map((k) => [
      NAMES[k.kind],
      ms(p(k.addedMs, 50)),
      ms(p(k.addedMs, 99)),
      ms(Math.max(...k.addedMs)),
      ms(p(k.postToFirstMs, 50)),
    ]),
  );
  const pipe = table(
    ['Database', 'Ideal mean ms', 'Wall mean ms', 'Wall max ms', 'Overhead mean ms'],
    kinds.map((k) => [
      NAMES[k.kind],
      ms(mean(k.idealMs)),
      ms(mean(k.pipelineMs)),
      ms(Math.max(...k.pipelineMs)),
      ms(mean(k.pipelineMs) - mean(k.idealMs)),
    ]),
  );
  const offline = table(
    ['Where', 'p50 ms per application', 'max ms'],
    [
      ['Engine alone (in process, 3 drafts)', ms(p(engineMs, 50)), ms(Math.max(...engineMs))],
      ...kinds.map((k) => [
        `End to end, ${NAMES[k.kind]} (POST → done)`,
        ms(p(k.offlineMs, 50)),
        ms(Math.max(...k.offlineMs)),
      ]),
    ],
  );
  const follow = table(
    ['Database', 'Open streams', 'Server CPU %', 'PostgreSQL backends CPU %'],
    kinds.flatMap((k) =>
      k.followers.map((x) => [
        NAMES[k.kind],
        String(x.streams),
        x.server.toFixed(1),
        x.backends === undefined ? '–' : x.backends.toFixed(1),
      ]),
    ),
  );
  return [
    SECTION,
    '',
    `Run on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${ms(seconds)} s: ${m.cores} cores, ` +
      `${m.cpuModel}, Node ${m.node}. A real \`jobforge serve\` child process per database; the model is ` +
      `a fake OpenAI-compatible server in the bench process streaming one token every ${TOKEN_MS} ms ` +
      '(50 tokens/s), so every figure is time Job Forge adds or spends. ' +
      `Load average at the start: ${load.toFixed(1)} on ${m.cores} cores` +
      (load > m.cores / 2
        ? ' — the machine was shared with other work, so the figures are pessimistic.'
        : '.'),
    '',
    `**(a) First token.** ${cfg.generation.jobs} one-document jobs in a row; "added" is the first ` +
      '`delta` arriving at an SSE client minus the moment the fake wrote its first token.',
    '',
    first,
    '',
    `**(b) Three documents.** ${cfg.generation.pipelineJobs} jobs (POST → \`done\` at the client), ` +
      'each document 100 tokens (about 2 s); the ideal is what the model took, measured at the fake: ' +
      'report + max(resume, letter), the letter and the resume streaming in parallel.',
    '',
    pipe,
    '',
    '**(c) Offline engine** (no pauses between chunks; the end-to-end figure includes the job ' +
      'queue, three saves and the event log).',
    '',
    offline,
    '',
    '**(d) Open event streams on a running job with nothing new to say**, CPU in % of one core ' +
      'over 5 s. A stream is woken at once by events committed on any instance (its own process; ' +
      'on PostgreSQL every instance through LISTEN/NOTIFY) and otherwise reads the events table as ' +
      'a safety net: every 2 s on PostgreSQL while the listener is up (150 ms while it reconnects), ' +
      'every 1 s on PGlite (one process owns the data) — decision 013:',
    '',
    follow,
    '',
    '- Most of (a) is by design: deltas are written to the event log in batches (every 200 ms or ' +
      '400 characters), so a fast model does not turn every token into a write; the stream is woken ' +
      'when the batch commits, so about 200 ms is the floor (decision 013 has the figures from ' +
      'before the wake-ups).',
    '- (b) close to the ideal means the pipeline adds little beyond the model: the claim, the ' +
      'three document saves and the event writes.',
    '- (d): the cost per waiting stream is the safety-net poll; decision 013 compares it with ' +
      'polling every 150 ms everywhere, as streams did before the wake-ups.',
    '',
  ].join('\n');
}

export async function benchGeneration(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUpAll().finally(() => process.exit(130)));
  }
  const cfg = loadBenchConfig();
  const load = os.loadavg()[0] ?? 0;
  const started = performance.now();
  const date = new Date();
  console.log('offline engine in process');
  const engineMs = await offlineEngine(5);
  const kinds: KindFigures[] = [];
  for (const kind of cfg.databases) {
    kinds.push(await benchKind(kind, cfg, (l) => console.log(`[${kind}] ${l}`)));
  }
  const section = render(load, kinds, engineMs, cfg, date, (performance.now() - started) / 1000);
  if (cfg.writeDocs) {
    await replaceSection(SECTION, section);
    console.log(`Written to ${PERFORMANCE_DOC}:\n`);
  }
  console.log(section);
}
