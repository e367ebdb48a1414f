import { getDocumentProxy } from 'unpdf';
import { importErrors } from './import-errors.ts';
import { linesToMarkdown, type TextLine } from './text-to-markdown.ts';

export interface PdfLimits {
  /** Refused above this many pages (what the page tree claims, before any page is read). */
  maxPages: number;
}

export const PDF_LIMITS: PdfLimits = { maxPages: 20 };

interface PdfItem {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}
interface PdfLink {
  url: string;
  rect: [number, number, number, number];
}
interface PdfPage {
  items: PdfItem[];
  links: PdfLink[];
}
type WorkerResult =
  | { kind: 'ok'; pages: PdfPage[] }
  | { kind: 'too-many-pages'; pages: number }
  | { kind: 'encrypted' }
  | { kind: 'corrupt' };

export interface PdfMarkdown {
  markdown: string;
  warnings: string[];
}

/**
 * pdf.js's reading of the text layer. It runs in a compute-pool thread (readResumeFile), whose
 * heap limit and deadline keep a hostile PDF from exhausting the server's memory or time.
 */
async function readPages(bytes: Uint8Array, maxPages: number): Promise<WorkerResult> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(bytes, {
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
  const pages: PdfPage[] = [];
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items: PdfItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str === '') continue;
        const [a, b, , , x, y] = item.transform as number[];
        items.push({
          str: item.str,
          x: x!,
          y: y!,
          width: item.width,
          size: Math.hypot(a!, b!) || item.height,
        });
      }
      const links: PdfLink[] = [];
      for (const annotation of (await page.getAnnotations()) as {
        subtype?: string;
        url?: unknown;
        rect: number[];
      }[]) {
        if (annotation.subtype === 'Link' && typeof annotation.url === 'string')
          links.push({ url: annotation.url, rect: Array.from(annotation.rect) as PdfLink['rect'] });
      }
      pages.push({ items, links });
      page.cleanup();
    }
  } catch {
    return { kind: 'corrupt' };
  } finally {
    // The thread lives on for other tasks: the document's memory must not.
    void pdf.loadingTask.destroy();
  }
  return { kind: 'ok', pages };
}

/** A PDF's text layer as Markdown: headings from font sizes, bullets, link annotations. */
export async function pdfToMarkdown(
  bytes: Uint8Array,
  limits: PdfLimits = PDF_LIMITS,
): Promise<PdfMarkdown> {
  // Every complete PDF ends with %%EOF; a download cut short does not.
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  if (!tail.includes('%%EOF'))
    throw importErrors.corrupt('PDF', 'it is incomplete (it was cut short). Download it again.');
  const claimed = claimedPages(bytes);
  if (claimed > limits.maxPages) throw importErrors.tooManyPages(claimed, limits.maxPages);
  const result = await readPages(bytes, limits.maxPages);
  switch (result.kind) {
    case 'too-many-pages':
      throw importErrors.tooManyPages(result.pages, limits.maxPages);
    case 'encrypted':
      throw importErrors.encrypted('PDF');
    case 'corrupt':
      throw importErrors.corrupt('PDF', 'it is damaged or not a PDF.');
    case 'ok':
      break;
  }
  const { pages } = result;
  const empty = pages.filter((p) => p.items.every((i) => i.str.trim() === '')).length;
  if (empty === pages.length) throw importErrors.noText();
  const warnings: string[] = [];
  if (empty > 0)
    warnings.push(
      `${empty} of the ${pages.length} pages ${empty === 1 ? 'has' : 'have'} no text (scanned?) and ${empty === 1 ? 'was' : 'were'} left out.`,
    );
  return { markdown: linesToMarkdown(layoutLines(pages)), warnings };
}

/**
 * The largest page count a page-tree node declares (`/Type /Pages … /Count n`), read from the raw
 * bytes. pdf.js repairs a tree that lies about its count, but a file that claims thousands of
 * pages is not a resume: refuse it before parsing. (Trees inside compressed object streams are
 * not visible here; pdf.js's own count covers those.)
 */
export function claimedPages(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  let max = 0;
  for (const match of text.matchAll(/<<((?:(?!<<|>>)[\s\S]){0,4096})>>/g)) {
    const dict = match[1]!;
    if (!/\/Type\s*\/Pages\b/.test(dict)) continue;
    const count = /\/Count\s+(\d{1,12})/.exec(dict);
    if (count) max = Math.max(max, Number(count[1]));
  }
  return max;
}

/** The most common font size, weighted by characters: the body text. */
function bodySize(pages: PdfPage[]): number {
  const counts = new Map<number, number>();
  for (const item of pages.flatMap((p) => p.items)) {
    const size = Math.round(item.size * 2) / 2;
    counts.set(size, (counts.get(size) ?? 0) + item.str.length);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
}

/** Groups text items into lines (same baseline), top to bottom, with headings and gaps. */
export function layoutLines(pages: PdfPage[]): TextLine[] {
  const body = bodySize(pages);
  const largest = Math.max(...pages.flatMap((p) => p.items.map((i) => i.size)));
  const lines: TextLine[] = [];
  for (const page of pages) {
    const rows: { y: number; size: number; items: PdfItem[] }[] = [];
    for (const item of page.items) {
      if (item.str.trim() === '' && item.width === 0) continue;
      const row = rows.find((r) => Math.abs(r.y - item.y) < Math.max(2, item.size * 0.4));
      if (row) {
        row.items.push(item);
        row.size = Math.max(row.size, item.size);
      } else rows.push({ y: item.y, size: item.size, items: [item] });
    }
    rows.sort((a, b) => b.y - a.y);
    let previous: { y: number; size: number } | undefined;
    for (const row of rows) {
      row.items.sort((a, b) => a.x - b.x);
      const text = joinItems(row.items, page.links);
      if (text.trim() === '') continue;
      const ratio = row.size / body;
      const heading =
        ratio >= 1.15 ? (row.size >= largest - 0.5 && ratio >= 1.6 ? 1 : 2) : undefined;
      const gap = previous ? previous.y - row.y : 0;
      lines.push({
        text,
        heading,
        gapBefore: previous !== undefined && gap > Math.max(previous.size, row.size) * 1.6,
      });
      previous = row;
    }
    lines.push({ text: '' });
  }
  return lines;
}

/** The items of one line as Markdown inline text, the words under a link annotation linked. */
function joinItems(items: PdfItem[], links: PdfLink[]): string {
  const words: { text: string; url?: string; spaceBefore: boolean }[] = [];
  let end: number | undefined;
  for (const item of items) {
    const charWidth = item.width / Math.max(1, item.str.length);
    const gap = end === undefined ? 0 : item.x - end;
    let first = true;
    for (const match of item.str.matchAll(/\S+/g)) {
      const center = item.x + (match.index + match[0].length / 2) * charWidth;
      const link = links.find(
        ({ rect: [x1, y1, x2, y2] }) =>
          center >= Math.min(x1, x2) &&
          center <= Math.max(x1, x2) &&
          item.y + item.size * 0.3 >= Math.min(y1, y2) &&
          item.y + item.size * 0.3 <= Math.max(y1, y2),
      );
      const spaceBefore = first ? gap > item.size * 0.15 || /^\s/.test(item.str) : true;
      words.push({ text: match[0], url: link?.url, spaceBefore: words.length > 0 && spaceBefore });
      first = false;
    }
    end = item.x + item.width;
  }
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.spaceBefore) out += ' ';
    if (!word.url || !/^(https?:|mailto:)/i.test(word.url)) {
      out += word.text;
      continue;
    }
    let text = word.text;
    while (words[i + 1]?.url === word.url) {
      i += 1;
      text += (words[i]!.spaceBefore ? ' ' : '') + words[i]!.text;
    }
    out += text === word.url ? `<${word.url}>` : `[${text}](${word.url})`;
  }
  return out;
}
