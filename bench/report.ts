import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { BenchConfig } from './bench-config.ts';
import type { CpuShares, MachineFacts } from './proc.ts';
import type { KindResult } from './run-kind.ts';
import { SEARCH_TERMS } from './text.ts';

export interface BenchReport {
  date: Date;
  machine: MachineFacts;
  config: BenchConfig;
  kinds: KindResult[];
  totalSeconds: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PERFORMANCE_DOC = path.join(ROOT, 'docs/performance.md');
const SECTION = '## API throughput (npm run bench)';

const NAMES = { pglite: 'PGlite', postgres: 'PostgreSQL' } as const;
const n0 = (x: number | undefined) => (x === undefined ? '–' : Math.round(x).toLocaleString('en'));
const n1 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
const n2 = (x: number) => x.toFixed(2);
const range = (xs: number[], f: (x: number) => string) => {
  if (xs.length === 0) return '–';
  const [lo, hi] = [f(Math.min(...xs)), f(Math.max(...xs))];
  return lo === hi ? lo : `${lo}–${hi}`;
};

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function throughputTable(kinds: KindResult[]): string {
  const rows = kinds.flatMap((k) =>
    k.endpoints.map((e) => [
      NAMES[k.kind],
      e.endpoint,
      n0(e.http.rps),
      n2(e.http.p50Ms),
      n2(e.http.p99Ms),
      n0(e.driver.rps),
      n2(e.driver.p50Ms),
      n2(e.driver.p99Ms),
      n2(e.http.rps / e.driver.rps),
      String(e.http.errors + e.driver.errors),
    ]),
  );
  return table(
    [
      'Database',
      'Endpoint',
      'HTTP req/s',
      'HTTP p50 ms',
      'HTTP p99 ms',
      'Driver req/s',
      'Driver p50 ms',
      'Driver p99 ms',
      'HTTP ÷ driver',
      'Errors',
    ],
    rows,
  );
}

/**
 * CPU time the bench's own processes (server, bench, backends; not "other") spent per request:
 * with every core busy, throughput is cores ÷ this, so it explains the HTTP ÷ driver ratio.
 */
export function cpuMsPerRequest(r: { rps: number; cpu: CpuShares }): number {
  const busy = (r.cpu.server ?? 0) + r.cpu.bench + (r.cpu.backends ?? 0);
  return (busy / 100 / r.rps) * 1000;
}

function cpuTable(kinds: KindResult[]): string {
  const rows = kinds.flatMap((k) =>
    k.endpoints.flatMap((e) => [
      [
        NAMES[k.kind],
        e.endpoint,
        'HTTP',
        n2(e.http.serverMeanMs),
        n0(e.http.cpu.server),
        n0(e.http.cpu.bench),
        n0(e.http.cpu.backends),
        n0(e.http.cpu.other),
        n2(cpuMsPerRequest(e.http)),
      ],
      [
        NAMES[k.kind],
        e.endpoint,
        'driver',
        '–',
        '–',
        n0(e.driver.cpu.bench),
        n0(e.driver.cpu.backends),
        n0(e.driver.cpu.other),
        n2(cpuMsPerRequest(e.driver)),
      ],
    ]),
  );
  return table(
    [
      'Database',
      'Endpoint',
      'Run',
      'Mean ms inside the server',
      'Server process',
      'Bench process',
      'PostgreSQL backends',
      'Other processes',
      'CPU ms per request',
    ],
    rows,
  );
}

function datasetTable(kinds: KindResult[]): string {
  const row = (label: string, f: (k: KindResult) => string) => [label, ...kinds.map(f)];
  const words = SEARCH_TERMS.map((t) => t.word);
  return table(
    ['', ...kinds.map((k) => NAMES[k.kind])],
    [
      row('Version', (k) => k.dataset.version),
      row('Migrations (s)', (k) => n1(k.migrateSeconds)),
      row('Seeding (s)', (k) => n1(k.seed.seconds)),
      row(
        'Rows: users / resumes / applications / documents',
        (k) =>
          `${n0(k.seed.rows.users)} / ${n0(k.seed.rows.resumes)} / ` +
          `${n0(k.seed.rows.applications)} / ${n0(k.seed.rows.documents)}`,
      ),
      row('Generated text (MB)', (k) => n0(k.seed.textChars / 1e6)),
      row('Database size (MiB)', (k) => n0(k.dataset.sizeMb)),
      row(`Search matches per user (${words.join(' / ')})`, (k) =>
        words.map((w) => n1(k.dataset.matchesPerUser[w])).join(' / '),
      ),
      row('Response body: list / get / search (kB)', (k) =>
        [k.responseBytes.list, k.responseBytes.get, k.responseBytes.search]
          .map((b) => n1(b / 1000))
          .join(' / '),
      ),
      row(
        'Server VmRSS at the end / peak (MiB)',
        (k) => `${n0(k.server.rssMb)} / ${n0(k.server.peakMb)}`,
      ),
    ],
  );
}

const maxOf = (xs: (number | undefined)[]) => Math.max(0, ...xs.map((x) => x ?? 0));

const busyPercentOf = (cpu: CpuShares, cores: number) =>
  ((cpu.server ?? 0) + cpu.bench + (cpu.backends ?? 0) + cpu.other) / cores;

function kindLine(k: KindResult, cores: number): string {
  const ratios = range(
    k.endpoints.map((e) => e.http.rps / e.driver.rps),
    n2,
  );
  const server = range(
    k.endpoints.map((e) => e.http.cpu.server ?? 0),
    (x) => x.toFixed(0),
  );
  if (k.kind === 'pglite') {
    return (
      `PGlite: HTTP keeps ${ratios} of the driver rate. The server is one thread that runs ` +
      `Fastify and the WASM database in turn (${server} % of one core during HTTP runs): every ` +
      'millisecond of HTTP work is a millisecond without queries, while the other cores have ' +
      'little to do but generate the load.'
    );
  }
  const cost = (endpoint: string) => {
    const e = k.endpoints.find((x) => x.endpoint === endpoint)!;
    return `${n2(cpuMsPerRequest(e.http))} ms of CPU over HTTP against ${n2(cpuMsPerRequest(e.driver))} ms at the driver`;
  };
  const runs = k.endpoints.flatMap((e) => [e.http.cpu, e.driver.cpu]);
  const search = k.endpoints.find((e) => e.endpoint === 'search')!.http.cpu;
  const searchInBackends = (search.backends ?? 0) > 2 * (search.server ?? 0);
  const saturated = Math.min(...runs.map((c) => busyPercentOf(c, cores))) >= 90;
  return (
    `PostgreSQL: HTTP keeps ${ratios} of the driver rate. ` +
    (saturated ? `All ${cores} cores are busy in every run, so the rate follows ` : 'Compare ') +
    `the CPU each request costs across the server process (${server} % of a core), the ` +
    `backends and the load generator: a get takes ${cost('get')}, a list ${cost('list')}` +
    (searchInBackends ? '; a search is mostly backend time, hence its higher ratio.' : '.')
  );
}

/**
 * Lines of interpretation computed from the figures, so that a re-run never leaves stale prose
 * next to new numbers.
 */
function interpretation(r: BenchReport): string[] {
  const lines = [
    '"HTTP ÷ driver" is the share of the database-only rate that the full request path keeps; ' +
      'the rest goes to HTTP parsing, JWT verification, zod validation and response ' +
      'serialisation, metrics, and the load generator sharing the cores. "Mean ms inside the ' +
      'server" against HTTP p50 shows how much of a request is spent queueing outside it.',
    ...r.kinds.map((k) => kindLine(k, r.machine.cores)),
  ];
  const searchVsGet = r.kinds.map((k) => {
    const get = k.endpoints.find((e) => e.endpoint === 'get')!.driver.rps;
    const search = k.endpoints.find((e) => e.endpoint === 'search')!.driver.rps;
    return `${n1(get / search)}× (${NAMES[k.kind]})`;
  });
  lines.push(
    `At the driver a search costs ${searchVsGet.join(' and ')} as much as a get: it ranks every row of the ` +
      'user that matches (see matches per user below) and builds headlines for the 10 returned.',
  );
  const other = maxOf(
    r.kinds.flatMap((k) => k.endpoints.flatMap((e) => [e.http.cpu.other, e.driver.cpu.other])),
  );
  if (other > 15) {
    lines.push(
      `Other processes used up to ${other.toFixed(0)} % of a core during some runs: the ` +
        'machine was not quiet, and those runs understate what Job Forge can do.',
    );
  }
  return lines;
}

export function renderSection(r: BenchReport): string {
  const m = r.machine;
  const c = r.config;
  return [
    SECTION,
    '',
    `Run on ${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${n0(r.totalSeconds)} s: ` +
      `${m.cores} cores (nproc), ${m.cpuModel}, ${n1(m.memoryGb)} GiB memory, Node ${m.node}, ` +
      `${m.kernel}.`,
    '',
    `Each endpoint: ${c.connections} concurrent keep-alive connections (or ${c.connections} async ` +
      `workers on the driver), ${c.warmupSeconds} s warm-up then ${c.seconds} s measured; every ` +
      `request as a random one of ${n0(c.users)} users (${c.applicationsPerUser} applications ` +
      'each). list = `GET /api/v1/applications?limit=20`, get = `GET /api/v1/applications/{id}`, ' +
      'search = `GET /api/v1/search?q=<word>&limit=10` over four words of different frequency. ' +
      '"Driver" runs the same service calls (tenant session check + repository SQL in one ' +
      'transaction) in the bench process, without HTTP.',
    '',
    throughputTable(r.kinds),
    '',
    interpretation(r)
      .map((l) => `- ${l}`)
      .join('\n'),
    '',
    'Where the CPU went, in % of one core over each measured window (the bench process is the ' +
      'load generator in HTTP runs, the driver and — on PGlite — the database in driver runs):',
    '',
    cpuTable(r.kinds),
    '',
    'Data set, seeding and memory (server VmRSS from /proc/<pid>/status; on PostgreSQL the ' +
      'database backends are separate processes, not included):',
    '',
    datasetTable(r.kinds),
    '',
  ].join('\n');
}

/** Replaces this section of docs/performance.md (or appends it), keeping every other section. */
export async function writePerformanceDoc(r: BenchReport, file = PERFORMANCE_DOC): Promise<void> {
  await replaceSection(SECTION, renderSection(r), file);
}

/** The `## ` section of the doc that starts with `heading`, or undefined. */
async function readSection(heading: string, file: string): Promise<string | undefined> {
  const doc = await fs.readFile(file, 'utf8').catch(() => '');
  const start = doc.indexOf(heading);
  if (start < 0) return undefined;
  const next = doc.slice(start + heading.length).search(/^## /m);
  return doc.slice(start, next < 0 ? doc.length : start + heading.length + next);
}

/**
 * Replaces the `## ` section starting with `heading` (the first line of `markdown`) in
 * docs/performance.md, or appends it, keeping every other section.
 */
export async function replaceSection(
  heading: string,
  markdown: string,
  file = PERFORMANCE_DOC,
): Promise<void> {
  let doc = '# Performance\n';
  try {
    doc = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const options = (await prettier.resolveConfig(file)) ?? {};
  // Prose wrapped at the print width like the rest of docs/; other sections are left as they are.
  const section = await prettier.format(markdown, {
    ...options,
    parser: 'markdown',
    proseWrap: 'always',
  });
  const start = doc.indexOf(heading);
  if (start < 0) {
    doc = `${doc.trimEnd()}\n\n${section}`;
  } else {
    const next = doc.slice(start + heading.length).search(/^## /m);
    const end = next < 0 ? doc.length : start + heading.length + next;
    doc = `${doc.slice(0, start)}${section}\n${doc.slice(end)}`;
  }
  // Formatted as `npm run check` expects, so a run never leaves the tree failing format:check.
  await fs.writeFile(file, await prettier.format(doc, { ...options, filepath: file }));
}

/**
 * Replaces one `### ` subsection of a section (or adds it), keeping the section's other
 * subsections: a before and an after run stay side by side.
 */
export async function writeSubsection(
  heading: string,
  intro: string,
  subheading: string,
  markdown: string,
  file = PERFORMANCE_DOC,
): Promise<void> {
  const old = (await readSection(heading, file)) ?? '';
  const subsections = old
    .split(/^(?=### )/m)
    .slice(1)
    .filter((sub) => !sub.startsWith(`${subheading}\n`));
  const body = [...subsections.map((sub) => sub.trimEnd()), markdown.trimEnd()].join('\n\n');
  await replaceSection(heading, `${heading}\n\n${intro}\n\n${body}\n`, file);
}
