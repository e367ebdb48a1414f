import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from 'docx';
import type { Block, Run } from './markdown-blocks.ts';
import type { LetterHead } from './pdf-render.ts';

const HEADINGS = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
} as const;

const MAX_DEPTH = 5;
const indent = (depth: number) => ({ left: 720 * (depth + 1), hanging: 360 });

/**
 * An editable Word document: real Heading 1–3 paragraphs, real bulleted and numbered lists (each
 * numbered list restarts at its own first number), text runs with bold, italic and links.
 */
export async function renderDocx(
  blocks: Block[],
  opts: { title: string; letterHead?: LetterHead },
): Promise<Buffer> {
  const children: Paragraph[] = [];
  if (opts.letterHead) {
    children.push(
      new Paragraph({
        children: [new TextRun({ text: opts.letterHead.name, bold: true, size: 32 })],
      }),
    );
    if (opts.letterHead.contact)
      children.push(
        new Paragraph({
          children: [new TextRun(opts.letterHead.contact)],
          spacing: { after: 240 },
        }),
      );
  }
  let instance = 0;
  let previousWasItem = false;
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        children.push(
          new Paragraph({
            heading: HEADINGS[block.level],
            keepNext: true,
            keepLines: true,
            children: runs(block.runs),
          }),
        );
        break;
      case 'paragraph':
        children.push(new Paragraph({ children: runs(block.runs), spacing: { after: 120 } }));
        break;
      case 'list-item': {
        const level = Math.min(block.depth, MAX_DEPTH);
        if (block.ordered) {
          if (!previousWasItem || (block.number === 1 && block.depth === 0)) instance += 1;
          children.push(
            new Paragraph({
              children: runs(block.runs),
              numbering: { reference: 'ordered', level, instance },
            }),
          );
        } else {
          children.push(new Paragraph({ children: runs(block.runs), bullet: { level } }));
        }
        break;
      }
      case 'rule':
        children.push(
          new Paragraph({
            children: [],
            border: { bottom: { style: 'single', size: 6, color: '999999', space: 1 } },
          }),
        );
        break;
      default: {
        const never: never = block;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
    previousWasItem = block.kind === 'list-item';
  }

  const doc = new Document({
    title: opts.title,
    creator: 'Job Forge',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    numbering: {
      config: [
        {
          reference: 'ordered',
          levels: Array.from({ length: MAX_DEPTH + 1 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: indent(level) } },
          })),
        },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

function runs(list: Run[]): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const r of list) {
    const pieces = r.text.split('\n').map(
      (text, i) =>
        new TextRun({
          text,
          bold: r.bold,
          italics: r.italic,
          ...(i > 0 ? { break: 1 } : {}),
          ...(r.code ? { font: 'Courier New' } : {}),
          ...(r.link !== undefined ? { style: 'Hyperlink' } : {}),
        }),
    );
    if (r.link !== undefined && /^(https?:|mailto:)/i.test(r.link))
      out.push(new ExternalHyperlink({ link: r.link, children: pieces }));
    else out.push(...pieces);
  }
  return out;
}
