import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { markdownBlocks } from '../exports/markdown-blocks.ts';
import { renderPdf } from '../exports/pdf-render.ts';
import { AppError } from '../http/errors.ts';
import { ComputePool, type TaskName } from './compute-pool.ts';

const run = promisify(execFile);

async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobforge-pdf-worker-'));
  try {
    const file = path.join(dir, 'out.pdf');
    await writeFile(file, pdf);
    return (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const LETTER = `# Application — Zoë Ångström

Dear team at **Société Générale**, I read Ελληνικά and Русский.

## Why me

- Built the *ledger* in TypeScript
  - nested: PostgreSQL
1. First week: pair with on-call
2. Ship a fix

---

See [my site](https://example.com/zoe) and \`pg_dump\`.
`;

const meta = {
  title: 'Cover letter',
  author: 'Zoë Ångström',
  letterHead: { name: 'Zoë Ångström', contact: 'zoe@example.com' },
};

const TEST_TASKS = new URL('./slow-tasks.test-helpers.ts', import.meta.url);

/** The test module's extra tasks, which the pool's types do not know. */
const runTest = (pool: ComputePool, name: string, input: unknown) =>
  pool.run(name as TaskName, input as never, 'The test task') as Promise<unknown>;

const renderPdfIn = async (
  pool: ComputePool,
  markdown: string,
  m: typeof meta | { title: string; author: string },
) =>
  Buffer.from(
    await pool.run('renderDocument', { markdown, format: 'pdf', meta: m }, 'Rendering the PDF'),
  );

describe('the compute pool', () => {
  const pool = new ComputePool({ threads: 2, timeoutMs: 60_000, heapMb: 256 });
  after(() => pool.close());

  test('when a PDF is rendered in the pool, then it reads exactly as the one rendered in-thread', async () => {
    const inThread = await renderPdf(markdownBlocks(LETTER), meta);
    const offThread = await renderPdfIn(pool, LETTER, meta);
    assert.equal(offThread.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(await pdfText(offThread), await pdfText(inThread));
  });

  test('when several renders run at once, then each gets its own document', async () => {
    const names = ['Ada', 'Βασίλης', 'Юлия', 'Zoë'];
    const pdfs = await Promise.all(
      names.map((n) => renderPdfIn(pool, `# ${n}\n\nThe letter of ${n}.`, { title: n, author: n })),
    );
    for (const [i, pdf] of pdfs.entries()) {
      assert.match(
        await pdfText(pdf),
        new RegExp(`${names[i]}[\\s\\S]*The letter of ${names[i]}\\.`),
      );
    }
    assert.ok(pool.stats().threads <= 2, 'never more threads than its size');
  });

  test('while a long document renders, then the main thread keeps serving its event loop', async () => {
    const long = Array.from(
      { length: 1500 },
      (_, i) => `## Section ${i}\n\nRan the payments ledger for team ${i}, Zoë's favourite.`,
    ).join('\n\n');
    let ticks = 0;
    let rendering = true;
    const tick = () => {
      ticks += 1;
      if (rendering) setImmediate(tick);
    };
    setImmediate(tick);
    const pdf = await renderPdfIn(pool, long, { title: 't', author: 'a' });
    rendering = false;
    assert.match(await pdfText(pdf), /Section 1499/);
    // In-thread rendering would hold the loop for the whole render: a tick or two at most.
    assert.ok(ticks > 20, `the loop turned ${ticks} times during the render`);
  });

  test('when a task refuses its input, then the caller gets that AppError, status and code intact', async () => {
    await assert.rejects(
      pool.run('readResumeFile', { filename: 'cv.pdf', bytes: new Uint8Array([1, 2, 3]) }, 'x'),
      (err) =>
        err instanceof AppError && err.status === 415 && err.code === 'unsupported_file_type',
    );
  });
});

describe('a pool with a short deadline', () => {
  const pool = new ComputePool({ threads: 1, timeoutMs: 300, heapMb: 64, module: TEST_TASKS });
  after(() => pool.close());

  test('when it starts, then it has no thread; work starts one', async () => {
    assert.equal(pool.stats().threads, 0);
    const first = await runTest(pool, 'threadId', {});
    assert.equal(typeof first, 'number');
    assert.equal(pool.stats().threads, 1);
  });

  test('when a task runs past its deadline, then it fails as input_too_complex, its thread is ended and the next task gets a new one', async () => {
    const before = await runTest(pool, 'threadId', {});
    const spinning = runTest(pool, 'spin', { ms: 60_000 });
    // Queue time does not count: a task waiting behind the spinner still runs.
    const waiting = runTest(pool, 'threadId', {});
    await assert.rejects(
      spinning,
      (err) =>
        err instanceof AppError &&
        err.status === 422 &&
        err.code === 'input_too_complex' &&
        /^The test task took longer than the 300 ms this server allows/.test(err.message),
    );
    const after = await waiting;
    assert.notEqual(after, before, 'a new thread');
    assert.equal(pool.stats().aborted, 1);
  });

  test('when a task runs out of heap, then it fails as input_too_complex and the pool goes on', async () => {
    const roomy = new ComputePool({
      threads: 1,
      timeoutMs: 120_000,
      heapMb: 64,
      module: TEST_TASKS,
    });
    after(() => roomy.close());
    await assert.rejects(
      runTest(roomy, 'allocate', {}),
      (err) =>
        err instanceof AppError && err.code === 'input_too_complex' && /64 MiB/.test(err.message),
    );
    assert.equal(typeof (await runTest(roomy, 'threadId', {})), 'number');
  });

  test('when more tasks arrive than may wait, then the extra ones get 503 server_busy', async () => {
    // One thread: one running, four waiting, one on its way; the rest are turned away at once.
    const spins = Array.from({ length: 9 }, () => runTest(pool, 'spin', { ms: 50 }));
    const outcomes = await Promise.allSettled(spins);
    const busy = outcomes.filter(
      (o) =>
        o.status === 'rejected' && o.reason instanceof AppError && o.reason.code === 'server_busy',
    );
    assert.equal(busy.length, 4, 'the ones beyond the queue were turned away');
    assert.ok(
      outcomes.some((o) => o.status === 'fulfilled'),
      'the others ran',
    );
  });

  test('when the caller abandons a task, then it stops without counting as too complex', async () => {
    const abandon = new AbortController();
    const spinning = pool.run('spin' as TaskName, { ms: 60_000 } as never, 'x', abandon.signal);
    setTimeout(() => abandon.abort(), 50);
    await assert.rejects(spinning, (err) => !(err instanceof AppError));
  });
});
