import { Lexer, type Token, type Tokens } from 'marked';

/**
 * Markdown → a tree of allow-listed elements, never an HTML string. Raw HTML in the source
 * (script, iframe, an onerror= attribute …) becomes visible text; links keep only http(s) and
 * mailto targets; images are never loaded (a remote image is a tracking request): they show as
 * their alt text with the address. React renders the tree, escaping every text node.
 */
export type SafeTag =
  | 'h1'
  | 'h2'
  | 'h3'
  | 'h4'
  | 'h5'
  | 'h6'
  | 'p'
  | 'ul'
  | 'ol'
  | 'li'
  | 'blockquote'
  | 'pre'
  | 'code'
  | 'strong'
  | 'em'
  | 'del'
  | 'a'
  | 'hr'
  | 'br'
  | 'table'
  | 'thead'
  | 'tbody'
  | 'tr'
  | 'th'
  | 'td'
  | 'span';

export interface SafeElement {
  tag: SafeTag;
  href?: string;
  start?: number;
  className?: string;
  children: SafeNode[];
}
export type SafeNode = string | SafeElement;

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The link target if it is http(s) or mailto, else undefined (javascript:, data:, vbscript: …). */
export function safeHref(href: string): string | undefined {
  try {
    // Browsers ignore tabs/newlines and leading control characters in schemes: so does URL.
    const url = new URL(href, 'https://relative.invalid/');
    if (!SAFE_PROTOCOLS.has(url.protocol)) return undefined;
    if (url.origin === 'https://relative.invalid') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** marked keeps entities as written; React would show "&amp;" literally, so decode them. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const el = (tag: SafeTag, children: SafeNode[], extra: Partial<SafeElement> = {}): SafeElement => ({
  tag,
  children,
  ...extra,
});

function inline(tokens: Token[] | undefined): SafeNode[] {
  return (tokens ?? []).flatMap((t): SafeNode[] => {
    const tok = t as Tokens.Generic;
    switch (tok.type) {
      case 'strong':
        return [el('strong', inline(tok.tokens))];
      case 'em':
        return [el('em', inline(tok.tokens))];
      case 'del':
        return [el('del', inline(tok.tokens))];
      case 'codespan':
        return [el('code', [decodeEntities(String(tok.text))])];
      case 'br':
        return [el('br', [])];
      case 'link': {
        const href = safeHref(String(tok.href));
        const children = inline(tok.tokens);
        return href ? [el('a', children, { href })] : children;
      }
      case 'image':
        return [
          el('span', [`[image: ${decodeEntities(String(tok.text)) || 'untitled'}]`], {
            className: 'md-image',
          }),
        ];
      case 'text':
        return tok.tokens ? inline(tok.tokens) : [decodeEntities(String(tok.text))];
      case 'escape':
        return [String(tok.text)];
      case 'html':
        return [String(tok.raw)];
      default:
        return [decodeEntities(String(tok.raw ?? ''))];
    }
  });
}

function block(tokens: Token[]): SafeNode[] {
  return tokens.flatMap((t): SafeNode[] => {
    const tok = t as Tokens.Generic;
    switch (tok.type) {
      case 'space':
        return [];
      case 'heading':
        return [
          el(`h${Math.min(Math.max(Number(tok.depth), 1), 6)}` as SafeTag, inline(tok.tokens)),
        ];
      case 'paragraph':
        return [el('p', inline(tok.tokens))];
      case 'text':
        return tok.tokens ? inline(tok.tokens) : [decodeEntities(String(tok.text))];
      case 'code':
        return [el('pre', [el('code', [String(tok.text)])])];
      case 'blockquote':
        return [el('blockquote', block(tok.tokens ?? []))];
      case 'hr':
        return [el('hr', [])];
      case 'list': {
        const items = (tok as Tokens.List).items.map((i) => el('li', block(i.tokens)));
        const start = typeof tok.start === 'number' && tok.start !== 1 ? { start: tok.start } : {};
        return [el(tok.ordered ? 'ol' : 'ul', items, start)];
      }
      case 'table': {
        const table = tok as Tokens.Table;
        const head = el('thead', [
          el(
            'tr',
            table.header.map((c) => el('th', inline(c.tokens))),
          ),
        ]);
        const body = el(
          'tbody',
          table.rows.map((r) =>
            el(
              'tr',
              r.map((c) => el('td', inline(c.tokens))),
            ),
          ),
        );
        return [el('table', [head, body])];
      }
      case 'html':
        // Shown as the text it is: the reader sees what was written, nothing runs.
        return [el('p', [String(tok.raw)])];
      default:
        return [el('p', [String(tok.raw ?? '')])];
    }
  });
}

/** Parses Markdown (GitHub flavour) into a tree that contains only allow-listed elements. */
export function markdownToSafeTree(markdown: string): SafeNode[] {
  return block(new Lexer({ gfm: true, breaks: false }).lex(markdown));
}

/** Plain text of a tree: for tests and accessible names. */
export function treeText(nodes: SafeNode[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : treeText(n.children))).join('');
}
