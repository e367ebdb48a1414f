import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Block, Run } from './markdown-blocks.ts';
import { runsText } from './markdown-blocks.ts';

/** The sender's name and contact line at the top of a letter. */
export interface LetterHead {
  name: string;
  contact: string;
}

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fonts: Record<FontName, Buffer> | undefined;
/** DejaVu Sans from the dejavu-fonts-ttf package (decision 031): read once, embedded as subsets. */
function loadFonts(): Record<FontName, Buffer> {
  fonts ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [
      name,
      readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)),
    ]),
  ) as Record<FontName, Buffer>;
  return fonts;
}

const PAGE = { size: 'A4', margins: { top: 64, bottom: 64, left: 68, right: 68 } } as const;
const BODY = { size: 10.5, lineGap: 2.5, color: '#1a1a1a' };
const HEADING = {
  1: { size: 18, before: 6, after: 8 },
  2: { size: 13.5, before: 12, after: 5 },
  3: { size: 11.5, before: 9, after: 3 },
} as const;
const LINK_COLOR = '#1f4e8c';
const INDENT = 16;

/**
 * A PDF a person and an ATS both read: DejaVu Sans (accented Latin, Greek, Cyrillic), real text in
 * reading order, headings kept with the lines that follow them, list markers on the item's line.
 */
export function renderPdf(
  blocks: Block[],
  opts: { title: string; author: string; letterHead?: LetterHead },
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: PAGE.margins,
    info: { Title: opts.title, Author: opts.author, Creator: 'Job Forge' },
    bufferPages: false,
  });
  for (const [name, data] of Object.entries(loadFonts())) doc.registerFont(name, data);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = PAGE.margins.left;
  const width = doc.page.width - PAGE.margins.left - PAGE.margins.right;
  const bottom = () => doc.page.height - PAGE.margins.bottom;
  const bodyLine = () => doc.font('regular').fontSize(BODY.size).currentLineHeight(true);
  const ensureRoom = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  if (opts.letterHead) {
    doc.font('bold').fontSize(20).fillColor(BODY.color);
    doc.text(opts.letterHead.name, left, doc.y, { width });
    if (opts.letterHead.contact) {
      doc.font('regular').fontSize(BODY.size).fillColor('#555555');
      doc.text(opts.letterHead.contact, left, doc.y + 2, { width });
    }
    doc.moveDown(1.2);
  }

  blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'heading': {
        const h = HEADING[block.level];
        const text = runsText(block.runs);
        doc.font('bold').fontSize(h.size);
        const own = doc.heightOfString(text, { width }) + h.before + h.after;
        // Never leave a heading alone at the foot of a page: it travels with two lines of text.
        const following = blocks[i + 1] && blocks[i + 1]?.kind !== 'heading' ? 2 : 0;
        ensureRoom(own + following * bodyLine());
        if (doc.y > PAGE.margins.top + 1) doc.y += h.before;
        doc.font('bold').fontSize(h.size).fillColor(BODY.color);
        doc.text(text, left, doc.y, { width });
        if (block.level === 2) {
          const y = doc.y + 1;
          doc
            .moveTo(left, y)
            .lineTo(left + width, y)
            .lineWidth(0.5)
            .strokeColor('#b0b0b0')
            .stroke();
        }
        doc.y += h.after;
        break;
      }
      case 'paragraph':
        if (block.runs.length === 0) break;
        ensureRoom(bodyLine());
        drawRuns(doc, block.runs, left, doc.y, width);
        doc.y += BODY.size * 0.6;
        break;
      case 'list-item': {
        const x = left + block.depth * INDENT;
        const marker = block.ordered ? `${block.number}.` : block.depth % 2 === 0 ? '•' : '◦';
        ensureRoom(bodyLine());
        const y = doc.y;
        doc.font('regular').fontSize(BODY.size).fillColor(BODY.color);
        doc.text(marker, x, y, { width: INDENT + 4, lineBreak: false });
        const textX = x + INDENT + 2;
        drawRuns(doc, block.runs, textX, y, left + width - textX);
        const next = blocks[i + 1];
        doc.y += next?.kind === 'list-item' ? 1.5 : BODY.size * 0.6;
        break;
      }
      case 'rule': {
        ensureRoom(12);
        const y = doc.y + 4;
        doc
          .moveTo(left, y)
          .lineTo(left + width, y)
          .lineWidth(0.5)
          .strokeColor('#b0b0b0')
          .stroke();
        doc.y = y + 8;
        break;
      }
      default: {
        const never: never = block;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
  });
  doc.end();
  return done;
}

function fontOf(r: Run): FontName {
  if (r.code) return 'mono';
  if (r.bold && r.italic) return 'boldItalic';
  if (r.bold) return 'bold';
  if (r.italic) return 'italic';
  return 'regular';
}

/** One paragraph of styled runs, wrapped in the given column. */
function drawRuns(doc: PDFKit.PDFDocument, runs: Run[], x: number, y: number, width: number) {
  runs.forEach((r, i) => {
    const isLink = r.link !== undefined && /^(https?:|mailto:)/i.test(r.link);
    doc
      .font(fontOf(r))
      .fontSize(BODY.size)
      .fillColor(isLink ? LINK_COLOR : BODY.color);
    const options: PDFKit.Mixins.TextOptions = {
      width,
      lineGap: BODY.lineGap,
      continued: i < runs.length - 1,
      link: isLink ? r.link : null,
      underline: isLink,
    };
    if (i === 0) doc.text(r.text, x, y, options);
    else doc.text(r.text, options);
  });
  doc.fillColor(BODY.color);
}
