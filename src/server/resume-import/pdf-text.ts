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

/**
 * Link annotations read per page: a resume has a few dozen; a file with thousands would make
 * every word test every one of them.
 */
export const MAX_LINKS_PER_PAGE = 500;

interface Row {
  y: number;
  size: number;
  items: PdfItem[];
  /** Creation order: an item joins the first row made that is near enough. */
  order: number;
}

/**
 * The page's rows sorted by baseline, so the row an item belongs to is found by binary search
 * among the few rows near its baseline, not by testing every row (quadratic on a page of
 * thousands of scattered items).
 */
class RowsByBaseline {
  private readonly sorted: Row[] = [];

  /** The earliest-made row within `tolerance` of y (the exact test of a linear search). */
  find(y: number, tolerance: number): Row | undefined {
    let best: Row | undefined;
    // Slack around the window for rounding; the exact test below decides.
    const reach = tolerance + 1 + Math.abs(y) * 1e-6;
    for (let i = this.lowerBound(y - reach); i < this.sorted.length; i++) {
      const row = this.sorted[i]!;
      if (!(row.y <= y + reach)) break;
      if (Math.abs(row.y - y) < tolerance && (!best || row.order < best.order)) best = row;
    }
    return best;
  }

  add(row: Row): void {
    // A row at NaN can never be near an item: leave it out of the search.
    if (Number.isNaN(row.y)) return;
    this.sorted.splice(this.lowerBound(row.y), 0, row);
  }

  private lowerBound(y: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.y < y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Groups text items into lines (same baseline), top to bottom, with headings and gaps. */
export function layoutLines(pages: PdfPage[]): TextLine[] {
  const body = bodySize(pages);
  // A loop, not Math.max(...sizes): spreading 100,000 items overflows the call stack.
  let largest = -Infinity;
  for (const p of pages) for (const i of p.items) largest = Math.max(largest, i.size);
  const lines: TextLine[] = [];
  for (const page of pages) {
    const rows: Row[] = [];
    const byBaseline = new RowsByBaseline();
    for (const item of page.items) {
      if (item.str.trim() === '' && item.width === 0) continue;
      const row = byBaseline.find(item.y, Math.max(2, item.size * 0.4));
      if (row) {
        row.items.push(item);
        row.size = Math.max(row.size, item.size);
      } else {
        const made = { y: item.y, size: item.size, items: [item], order: rows.length };
        rows.push(made);
        byBaseline.add(made);
      }
    }
    rows.sort((a, b) => b.y - a.y);
    const links = page.links.slice(0, MAX_LINKS_PER_PAGE);
    let previous: { y: number; size: number } | undefined;
    for (const row of rows) {
      row.items.sort((a, b) => a.x - b.x);
      const text = joinItems(row.items, links);
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
    // The links at this item's height, in order: each word then tests only those.
    const probe = item.y + item.size * 0.3;
    const level = links.filter(
      ({ rect: [, y1, , y2] }) => probe >= Math.min(y1, y2) && probe <= Math.max(y1, y2),
    );
    for (const match of item.str.matchAll(/\S+/g)) {
      const center = item.x + (match.index + match[0].length / 2) * charWidth;
      const link = level.find(
        ({ rect: [x1, , x2] }) => center >= Math.min(x1, x2) && center <= Math.max(x1, x2),
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
