// Reads the text of a PDF in a worker thread (see pdf-text.ts): the parent gives it a heap
// limit and a deadline, so a hostile PDF can neither exhaust the server's memory nor block its
// event loop. Plain JavaScript so that it starts without the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { getDocumentProxy } from 'unpdf';

const { bytes, maxPages } = workerData;

async function read() {
  let pdf;
  try {
    pdf = await getDocumentProxy(bytes, {
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      // Missing standard-font data only matters for drawing, not for text: no warnings.
      verbosity: 0,
    });
  } catch (err) {
    const name = err && typeof err === 'object' && 'name' in err ? String(err.name) : 'Error';
    return { kind: name === 'PasswordException' ? 'encrypted' : 'corrupt' };
  }
  if (pdf.numPages > maxPages) return { kind: 'too-many-pages', pages: pdf.numPages };
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const items = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const [a, b, , , x, y] = item.transform;
      items.push({
        str: item.str,
        x,
        y,
        width: item.width,
        size: Math.hypot(a, b) || item.height,
      });
    }
    const links = [];
    for (const annotation of await page.getAnnotations()) {
      if (annotation.subtype === 'Link' && typeof annotation.url === 'string')
        links.push({ url: annotation.url, rect: Array.from(annotation.rect) });
    }
    pages.push({ items, links });
    page.cleanup();
  }
  return { kind: 'ok', pages };
}

read().then(
  (result) => parentPort.postMessage(result),
  () => parentPort.postMessage({ kind: 'corrupt' }),
);
