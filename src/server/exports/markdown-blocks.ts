import { lexer, type Token, type Tokens } from 'marked';

/** A piece of inline text with its emphasis; `\n` inside text is a line break. */
export interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  code: boolean;
  link?: string;
}

/** What the PDF and DOCX renderers draw: the few shapes a resume or a letter uses. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; runs: Run[] }
  | { kind: 'paragraph'; runs: Run[] }
  | { kind: 'list-item'; ordered: boolean; number: number; depth: number; runs: Run[] }
  | { kind: 'rule' };

interface Style {
  bold: boolean;
  italic: boolean;
  code: boolean;
  link?: string;
}

const PLAIN: Style = { bold: false, italic: false, code: false };

/**
 * Parses stored Markdown once into blocks. Headings deeper than ### become level 3; quotes, code
 * blocks and tables become paragraphs, so no text is ever dropped. A single newline inside a
 * paragraph stays a line break: people type contact lines and addresses that way.
 */
export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  walkBlocks(lexer(markdown), blocks, 0);
  return blocks;
}

function walkBlocks(tokens: Token[], out: Block[], depth: number): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const t = token as Tokens.Heading;
        const level = Math.min(3, Math.max(1, t.depth)) as 1 | 2 | 3;
        out.push({ kind: 'heading', level, runs: inline(t.tokens, PLAIN) });
        break;
      }
      case 'paragraph':
        out.push({ kind: 'paragraph', runs: inline((token as Tokens.Paragraph).tokens, PLAIN) });
        break;
      case 'text': {
        const t = token as Tokens.Text;
        const runs = t.tokens ? inline(t.tokens, PLAIN) : [run(decode(t.text), PLAIN)];
        out.push({ kind: 'paragraph', runs });
        break;
      }
      case 'list':
        walkList(token as Tokens.List, out, depth);
        break;
      case 'blockquote':
        walkBlocks((token as Tokens.Blockquote).tokens, out, depth);
        break;
      case 'code':
        out.push({
          kind: 'paragraph',
          runs: [run((token as Tokens.Code).text, { ...PLAIN, code: true })],
        });
        break;
      case 'table': {
        const t = token as Tokens.Table;
        for (const row of [t.header, ...t.rows]) {
          const runs: Run[] = [];
          row.forEach((cell, i) => {
            if (i > 0) runs.push(run(' | ', PLAIN));
            runs.push(...inline(cell.tokens, PLAIN));
          });
          out.push({ kind: 'paragraph', runs });
        }
        break;
      }
      case 'hr':
        out.push({ kind: 'rule' });
        break;
      case 'html': {
        const text = stripTags((token as Tokens.HTML).text).trim();
        if (text) out.push({ kind: 'paragraph', runs: [run(text, PLAIN)] });
        break;
      }
      default:
        // space, def (link reference definitions): nothing to show.
        break;
    }
  }
}

function walkList(list: Tokens.List, out: Block[], depth: number): void {
  const start = typeof list.start === 'number' ? list.start : 1;
  list.items.forEach((item, i) => {
    // marked 18 puts a task item's checkbox before its text; we write it as [x] / [ ].
    const tokens = item.tokens.filter((t) => t.type !== 'checkbox');
    const [first, ...rest] = tokens;
    // An item's own text is its first text or paragraph token; the rest are nested blocks.
    let runs: Run[] = [];
    let nested: Token[] = tokens;
    if (first && (first.type === 'text' || first.type === 'paragraph')) {
      const t = first as Tokens.Text | Tokens.Paragraph;
      runs = t.tokens ? inline(t.tokens, PLAIN) : [run(decode(t.text), PLAIN)];
      nested = rest;
    }
    if (item.task) runs.unshift(run(item.checked ? '[x] ' : '[ ] ', PLAIN));
    out.push({ kind: 'list-item', ordered: list.ordered, number: start + i, depth, runs });
    for (const child of nested) {
      if (child.type === 'list') walkList(child as Tokens.List, out, depth + 1);
      else walkBlocks([child], out, depth + 1);
    }
  });
}

function inline(tokens: Token[] | undefined, style: Style): Run[] {
  const runs: Run[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        runs.push(...inline((token as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        runs.push(...inline((token as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'del':
        runs.push(...inline((token as Tokens.Del).tokens, style));
        break;
      case 'link': {
        const t = token as Tokens.Link;
        runs.push(...inline(t.tokens, { ...style, link: t.href }));
        break;
      }
      case 'codespan':
        runs.push(run(decode((token as Tokens.Codespan).text), { ...style, code: true }));
        break;
      case 'br':
        runs.push(run('\n', style));
        break;
      case 'image': {
        const t = token as Tokens.Image;
        if (t.text) runs.push(run(decode(t.text), style));
        break;
      }
      case 'html':
        runs.push(run(decode(stripTags((token as Tokens.HTML).text)), style));
        break;
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens) runs.push(...inline(t.tokens, style));
        else runs.push(run(decode(t.text), style));
        break;
      }
      default:
        if ('text' in token && typeof token.text === 'string')
          runs.push(run(decode(token.text), style));
        break;
    }
  }
  return runs.filter((r) => r.text.length > 0);
}

function run(text: string, style: Style): Run {
  return style.link === undefined
    ? { text, bold: style.bold, italic: style.italic, code: style.code }
    : { text, bold: style.bold, italic: style.italic, code: style.code, link: style.link };
}

/** The plain text of runs, as a reader sees it. */
export function runsText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

// marked keeps entities as typed (&amp;, &#233;); the renderers draw characters.
function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

/** `<…>` removed as `/<[^>]*>/g` would, in one pass (that regex is quadratic on a run of "<"). */
function stripTags(html: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = html.indexOf('<', from);
    const close = open < 0 ? -1 : html.indexOf('>', open + 1);
    if (close < 0) return out + html.slice(from);
    out += html.slice(from, open);
    from = close + 1;
  }
}
