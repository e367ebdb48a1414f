import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { markdownBlocks } from './markdown-blocks.ts';
import { renderPdf } from './pdf-render.ts';
import { renderPdfOffThread, stopPdfWorker } from './pdf-worker.ts';

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

describe('PDF rendering in the worker thread', () => {
  after(() => stopPdfWorker());

  test('when a document is rendered in the worker, then it reads exactly as the one rendered in-thread', async () => {
    const inThread = await renderPdf(markdownBlocks(LETTER), meta);
    const offThread = await renderPdfOffThread(LETTER, meta);
    assert.equal(offThread.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(await pdfText(offThread), await pdfText(inThread));
  });

  test('when several renders run at once, then each gets its own document', async () => {
    const names = ['Ada', 'Βασίλης', 'Юлия'];
    const pdfs = await Promise.all(
      names.map((n) =>
        renderPdfOffThread(`# ${n}\n\nThe letter of ${n}.`, { title: n, author: n }),
      ),
    );
    for (const [i, pdf] of pdfs.entries()) {
      assert.match(
        await pdfText(pdf),
        new RegExp(`${names[i]}[\\s\\S]*The letter of ${names[i]}\\.`),
      );
    }
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
    const pdf = await renderPdfOffThread(long, { title: 't', author: 'a' });
    rendering = false;
    assert.match(await pdfText(pdf), /Section 1499/);
    // In-thread rendering would hold the loop for the whole render: a tick or two at most.
    assert.ok(ticks > 20, `the loop turned ${ticks} times during the render`);
  });

  test('when the worker has been stopped, then the next render starts a new one', async () => {
    await stopPdfWorker();
    const pdf = await renderPdfOffThread('# Again\n\nStill works.', { title: 't', author: 'a' });
    assert.match(await pdfText(pdf), /Still works\./);
  });
});
