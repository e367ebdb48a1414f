// Renders PDFs off the server's main thread (see pdf-worker.ts). Plain JavaScript because a worker
// does not inherit the TypeScript loader of the main thread (bin/jobforge.js registers tsx; tests
// run under --import tsx): it registers tsx itself, then imports the renderer, so it works the
// same under `npm start`, the CLI and tests.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { markdownBlocks } = await import('./markdown-blocks.ts');
const { renderPdf } = await import('./pdf-render.ts');

parentPort.on('message', async ({ id, markdown, meta }) => {
  try {
    const pdf = await renderPdf(markdownBlocks(markdown), meta);
    // A copy that owns its memory (small Buffers share a pool), handed over without copying again.
    const bytes = new Uint8Array(pdf);
    parentPort.postMessage({ id, pdf: bytes }, [bytes.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
