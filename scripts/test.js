#!/usr/bin/env node
// Runs every *.test.ts and *.test.tsx (component tests) under src/ and test/ with node's test
// runner (through tsx), prints the spec report, then the closing line CI reads:
// "N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : findTests(p);
    return /\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

// The same rule as test/helpers/databases.ts, checked once up front so a typo fails at once
// with one message instead of once per test file.
const databases = process.env.JOBFORGE_TEST_DATABASES;
if (databases !== undefined) {
  const parts = databases.split(',').map((s) => s.trim());
  if (parts.some((s) => s !== 'pglite' && s !== 'postgres')) {
    console.error(
      `JOBFORGE_TEST_DATABASES=${JSON.stringify(databases)}: expected a comma-separated list of pglite and postgres`,
    );
    process.exit(2);
  }
}

const filter = process.argv.slice(2);
let files = [...findTests('src'), ...findTests('test')].sort();
if (filter.length > 0) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Browser tests serve the built web app: build it now, before any server starts reading dist/web.
if (files.some((f) => f.startsWith(path.join('test', 'e2e')))) {
  const build = spawnSync(process.execPath, ['scripts/build-web.js', '--if-stale'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const tap = path.join(os.tmpdir(), `jobforge-tests-${process.pid}.tap`);
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${process.env.JOBFORGE_TEST_CONCURRENCY ?? '2'}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...files,
];
const child = spawn(process.execPath, args, {
  stdio: 'inherit',
  // tsx applies one tsconfig, and only to the files it includes: this one gives every file the
  // root options plus React's JSX (the root config leaves src/web out).
  env: {
    ...process.env,
    NODE_ENV: 'test',
    TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? path.resolve('scripts/test-tsconfig.json'),
  },
});
child.on('exit', (code, signal) => {
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(tap, { force: true });
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const passed = count('pass');
  // A failing before/after hook fails its suite without counting a test: never report 0 then.
  const failed = Math.max(count('fail') + count('cancelled'), code === 0 ? 0 : 1);
  const skipped = count('skipped') + count('todo');
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code ?? (signal ? 1 : 0));
});
