import { Worker } from 'node:worker_threads';
import type { LetterHead } from './pdf-render.ts';

type Reply = { id: number; pdf: Uint8Array } | { id: number; error: string };

interface Job {
  resolve(pdf: Buffer): void;
  reject(err: Error): void;
}

interface Running {
  worker: Worker;
  jobs: Map<number, Job>;
}

let running: Running | undefined;
let nextId = 1;

/**
 * One long-lived worker thread, started on first use: its TypeScript loader takes about a second
 * to start, far more than a render. It is referenced only while it has work, so it never keeps a
 * process (a CLI command, a test file) alive by itself. A worker that dies fails the renders it
 * had; the next render starts a new one.
 */
function start(): Running {
  const worker = new Worker(new URL('./pdf-render.worker.js', import.meta.url), {
    // The parent's flags (--test, --import tsx) are not the worker's business: it loads tsx itself.
    execArgv: [],
  });
  const self: Running = { worker, jobs: new Map() };
  worker.on('message', (reply: Reply) => {
    const job = self.jobs.get(reply.id);
    if (!job) return;
    self.jobs.delete(reply.id);
    if (self.jobs.size === 0) worker.unref();
    if ('error' in reply) job.reject(new Error(`PDF rendering failed: ${reply.error}`));
    else job.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
  });
  const fail = (err: Error) => {
    if (running === self) running = undefined;
    for (const job of self.jobs.values()) job.reject(err);
    self.jobs.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The PDF worker stopped (exit code ${code}).`)));
  worker.unref();
  return self;
}

/**
 * renderPdf(markdownBlocks(markdown), meta) in the worker thread. A 200,000-character document
 * takes the better part of a second of CPU: on the main thread every other request would wait.
 */
export function renderPdfOffThread(
  markdown: string,
  meta: { title: string; author: string; letterHead?: LetterHead },
): Promise<Buffer> {
  running ??= start();
  const { worker, jobs } = running;
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, markdown, meta });
  });
}

/** Stops the worker (tests of a worker that died; a clean shutdown does not need it). */
export async function stopPdfWorker(): Promise<void> {
  const current = running;
  running = undefined;
  await current?.worker.terminate();
}
