#!/usr/bin/env node
// Builds the web app (src/web → dist/web) with Vite and prints every chunk's gzip size and the
// initial JavaScript a first visit downloads (the budget is 200 KB gzip).
//   node scripts/build-web.js             build now
//   node scripts/build-web.js --if-stale  build only when dist/web is missing or older than its
//                                         sources (npm start: a no-op costs a few milliseconds)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/web');
const sources = ['src/web', 'src/contracts', 'package-lock.json'].map((p) => path.join(root, p));

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return fs
    .readdirSync(p)
    .reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), st.mtimeMs);
}

function isStale() {
  const built = fs.statSync(path.join(out, 'index.html'), { throwIfNoEntry: false });
  return !built || sources.some((s) => newestMtime(s) > built.mtimeMs);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gzip = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** The files a first visit loads before any route chunk: the entry script, its preloads, CSS. */
export function initialAssets(dir) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

export function report(dir) {
  const assets = fs.readdirSync(path.join(dir, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  const initial = new Set(initialAssets(dir));
  const rows = assets
    .map((f) => {
      const file = path.join(dir, 'assets', f);
      return {
        f,
        raw: fs.statSync(file).size,
        gz: gzip(file),
        initial: initial.has(`assets/${f}`),
      };
    })
    .sort((a, b) => b.gz - a.gz);
  for (const r of rows) {
    console.log(
      `${r.initial ? '*' : ' '} ${r.f.padEnd(44)} ${kb(r.raw).padStart(10)} ${kb(r.gz).padStart(10)} gzip`,
    );
  }
  const js = rows.filter((r) => r.initial && r.f.endsWith('.js')).reduce((s, r) => s + r.gz, 0);
  const css = rows.filter((r) => r.initial && r.f.endsWith('.css')).reduce((s, r) => s + r.gz, 0);
  console.log(
    `initial JS ${kb(js)} gzip (budget 200 KB), initial CSS ${kb(css)} gzip (* = initial)`,
  );
  return { initialJs: js, initialCss: css };
}

async function main() {
  if (process.argv.includes('--if-stale') && !isStale()) return;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    if (fs.existsSync(path.join(out, 'index.html'))) {
      console.warn('web app: sources changed but Vite is not installed; serving the older build');
      return;
    }
    console.error('web app: Vite is not installed; run `npm ci` (with dev dependencies) first');
    process.exit(1);
  }
  console.log('Building the web app…');
  await vite.build({
    configFile: path.join(root, 'src/web/vite.config.ts'),
    logLevel: 'warn',
  });
  report(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
