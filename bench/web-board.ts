/**
 * `npm run bench -- web`: the applications board with 500 applications in Debian's Chromium
 * (issue 4's budget: renders and answers a move in under 100 ms). A real server on a fresh PGlite
 * directory, 500 applications created through the API, the built app; timings come from inside
 * the page (performance.now(), event timestamps, long tasks). Not a test: never run by `npm test`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { deferCleanup } from './cleanup.ts';
import { machineFacts } from './proc.ts';
import { startServerProcess } from './server-process.ts';
import { BENCH_SECRET } from './run-kind.ts';
import { writeWebSection, type WebReport } from './web-report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.JOBFORGE_CHROMIUM ?? '/usr/bin/chromium';
export const STATUS_COUNTS = {
  draft: 150,
  applied: 150,
  interview: 100,
  rejected: 60,
  offer: 40,
} as const;
type Status = keyof typeof STATUS_COUNTS;
const STATUSES = Object.keys(STATUS_COUNTS) as Status[];
const TOTAL = Object.values(STATUS_COUNTS).reduce((a, b) => a + b, 0);
const RENDERS = Number(process.env.BENCH_WEB_RENDERS ?? 15);
const MOVES = Number(process.env.BENCH_WEB_MOVES ?? 30);

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s.at(-1) ?? NaN };
}

/** The production build, and what a first visit downloads (gzip level 9, as build-web.js). */
function buildWebApp(): { initialJsGzip: number; initialCssGzip: number } {
  const built = spawnSync(process.execPath, ['scripts/build-web.js', '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('the web build failed');
  const dir = path.join(ROOT, 'dist/web');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = new Set(
    [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!),
  );
  const gz = (ext: string) =>
    [...refs]
      .filter((r) => r.endsWith(ext))
      .reduce(
        (sum, r) => sum + zlib.gzipSync(fs.readFileSync(path.join(dir, r)), { level: 9 }).length,
        0,
      );
  return { initialJsGzip: gz('.js'), initialCssGzip: gz('.css') };
}

async function api<T>(base: string, method: string, p: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** One user with 500 applications across the statuses, created over HTTP (4 at a time). */
async function seedBoard(base: string) {
  const user = { email: 'board@example.com', password: 'correct horse battery' };
  const s = await api<{ access_token: string }>(base, 'POST', '/auth/register', undefined, {
    ...user,
    first_name: 'Ada',
    last_name: 'Example',
    client: 'api',
  });
  const plan = STATUSES.flatMap((st) => Array.from({ length: STATUS_COUNTS[st] }, () => st));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < plan.length; i = next++) {
      const a = await api<{ id: string }>(base, 'POST', '/applications', s.access_token, {
        company_name: `Company ${i + 1}`,
        role_title: `Engineer ${i + 1}`,
        job_description: `Role number ${i + 1}: build and run services for our customers, in TypeScript.`,
      });
      if (plan[i] !== 'draft') {
        await api(base, 'PATCH', `/applications/${a.id}`, s.access_token, { status: plan[i] });
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return user;
}

/** Resolves when the page has had no API request in flight for `quietMs`. */
function trackNetwork(page: Page) {
  let inFlight = 0;
  let last = Date.now();
  const done = () => {
    inFlight--;
    last = Date.now();
  };
  page.on('request', () => {
    inFlight++;
  });
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return async (quietMs = 150) => {
    while (inFlight > 0 || Date.now() - last < quietMs) await new Promise((r) => setTimeout(r, 20));
  };
}

// In-page code is sent as strings: the bench's tsconfig has no DOM types.

/** Click "Board" in the navigation and time until all 500 cards are in the DOM, then a frame. */
const RENDER_BOARD = `(async (total) => {
  const link = [...document.querySelectorAll('nav a')].find((a) => a.textContent === 'Board');
  const t0 = performance.now();
  link.click();
  while (document.querySelectorAll('[data-testid="board-card"]').length < total) {
    await new Promise((r) => requestAnimationFrame(r));
  }
  const dom = performance.now() - t0;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { dom, frame: performance.now() - t0 };
})`;

/**
 * Drags one card to the next column with the DOM's drag events (dragstart, dragenter,
 * dragover, drop; a DataTransfer carried along) and times until it shows in the new column.
 */
const DRAG_CARD = `(async ({ from, to }) => {
  const card = document.querySelector('[data-testid="column-' + from + '"] [data-testid="board-card"]');
  const id = card.dataset.id;
  const target = document.querySelector('[data-testid="column-' + to + '"]');
  const dt = new DataTransfer();
  const fire = (el, type) =>
    el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  fire(card, 'dragstart');
  fire(target, 'dragenter');
  fire(target, 'dragover');
  const t0 = performance.now();
  fire(target, 'drop');
  const inTarget = () => target.querySelector('[data-id="' + id + '"]');
  while (!inTarget()) await new Promise((r) => setTimeout(r, 0));
  const dom = performance.now() - t0;
  fire(card.isConnected ? card : inTarget(), 'dragend');
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { id, dom, frame: performance.now() - t0 };
})`;

/**
 * Times a real key press (Playwright's keyboard) on a card's link: from the arrow key's
 * keydown event (its timestamp) until the card is in the target column, then a frame.
 */
const WATCH_KEY = `(({ id, to }) => {
  window.__move = new Promise((resolve) => {
    const target = document.querySelector('[data-testid="column-' + to + '"]');
    const down = async (e) => {
      if (!e.key.startsWith('Arrow')) return;
      window.removeEventListener('keydown', down);
      const t0 = e.timeStamp;
      while (!target.querySelector('[data-id="' + id + '"]')) await new Promise((r) => setTimeout(r, 0));
      const dom = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      resolve({ dom, frame: performance.now() - t0 });
    };
    // Bubbling to window: React's handler on the root has run by then.
    window.addEventListener('keydown', down);
  });
})`;

const LONG_TASKS = `(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask' });
})()`;

interface Timing {
  dom: number;
  frame: number;
}

async function main(): Promise<void> {
  const date = new Date();
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const bundle = buildWebApp();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobforge-bench-web-'));
  deferCleanup(() => fs.promises.rm(dataDir, { recursive: true, force: true }));
  const server = await startServerProcess({
    JOBFORGE_DATA_DIR: dataDir,
    JOBFORGE_SECRET: BENCH_SECRET,
    JOBFORGE_LOG_LEVEL: 'warn',
  });
  let browser: Browser | undefined;
  try {
    const t = performance.now();
    const user = await seedBoard(server.url);
    console.log(`seeded ${TOTAL} applications in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const browserVersion = browser.version();
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const quiet = trackNetwork(page);

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // A cold load of /board: the page, the session refresh, five pages of 100 from the API.
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto('/board');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="board-card"]').length >= n,
        TOTAL,
        { polling: 'raf' },
      );
      cold.push(await page.evaluate('performance.now()'));
      await quiet();
    }

    // Rendering from the query cache: Search (a light screen: no chart to tear down) → Board in
    // the app, the list already loaded.
    const render: Timing[] = [];
    for (let i = 0; i < RENDERS; i++) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Search' })
        .click();
      await page.getByRole('heading', { name: 'Search' }).waitFor();
      await quiet();
      render.push(await page.evaluate(`${RENDER_BOARD}(${TOTAL})`));
      await quiet();
    }

    await page.evaluate(LONG_TASKS);
    const drag: Timing[] = [];
    for (let i = 0; i < MOVES; i++) {
      // Back and forth between Applied and Interview, so the board keeps its shape.
      const [from, to] = i % 2 === 0 ? ['applied', 'interview'] : ['interview', 'applied'];
      drag.push(await page.evaluate(`${DRAG_CARD}(${JSON.stringify({ from, to })})`));
      await quiet();
    }
    const keys: Timing[] = [];
    for (let i = 0; i < MOVES; i++) {
      const [from, to, key] =
        i % 2 === 0
          ? ['applied', 'interview', 'Alt+ArrowRight']
          : ['interview', 'applied', 'Alt+ArrowLeft'];
      const link = page
        .getByTestId(`column-${from}`)
        .getByTestId('board-card')
        .first()
        .getByRole('link');
      const id = await link.evaluate((a) => a.closest('li')!.getAttribute('data-id'));
      await link.focus();
      await page.evaluate(`${WATCH_KEY}(${JSON.stringify({ id, to })})`);
      await page.keyboard.press(key);
      keys.push(await page.evaluate<Timing>('window.__move'));
      await quiet();
    }
    const longTasks: number[] = await page.evaluate('window.__long');
    if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);

    const report: WebReport = {
      date,
      machine: machineFacts(),
      browser: browserVersion,
      total: TOTAL,
      counts: STATUS_COUNTS,
      bundle,
      cold: stats(cold),
      renderDom: stats(render.map((r) => r.dom)),
      renderFrame: stats(render.map((r) => r.frame)),
      dragDom: stats(drag.map((r) => r.dom)),
      dragFrame: stats(drag.map((r) => r.frame)),
      keyDom: stats(keys.map((r) => r.dom)),
      keyFrame: stats(keys.map((r) => r.frame)),
      longTasks: stats(longTasks.length ? longTasks : [0]),
      longTaskCount: longTasks.length,
      moves: MOVES * 2,
      load: [loadBefore, os.loadavg()[0]!],
      totalSeconds: (performance.now() - started) / 1000,
    };
    const section = await writeWebSection(report, process.env.BENCH_WRITE_DOCS !== 'false');
    console.log(`\n${section}`);
  } finally {
    await browser?.close();
    await server.stop();
  }
}

export async function runWebBench(): Promise<void> {
  await main();
}
