import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';

const turndown = new TurndownService({
  headingStyle: 'atx',
  bulletListMarker: '-',
  codeBlockStyle: 'fenced',
  emDelimiter: '*',
});
// Nothing executable or embedded survives into the stored description.
turndown.remove(['script', 'style', 'noscript', 'iframe', 'object', 'embed', 'form', 'button']);
// "- item", not Turndown's default "-   item": what people type and what our editor shows.
turndown.addRule('listItem', {
  filter: 'li',
  replacement(content, node) {
    const parent = node.parentNode as { nodeName?: string; children?: ArrayLike<unknown> } | null;
    const body = content.trim().replace(/\n/g, '\n  ');
    if (parent?.nodeName === 'OL') {
      const index = Array.prototype.indexOf.call(parent.children, node) + 1;
      return `${index}. ${body}\n`;
    }
    return `- ${body}\n`;
  },
});
// Only links a reader can follow; javascript: and the like become plain text.
turndown.addRule('safeLinks', {
  filter: (node) => node.nodeName === 'A',
  replacement(content, node) {
    const href = (node as { getAttribute(n: string): string | null }).getAttribute('href') ?? '';
    return /^(https?:|mailto:)/i.test(href) && content.trim() ? `[${content}](${href})` : content;
  },
});
turndown.addRule('images', { filter: 'img', replacement: () => '' });

/** Turns an HTML fragment into tidy Markdown: no raw HTML, no runs of blank lines. */
export function htmlToMarkdown(html: string): string {
  const markdown = turndown.turndown(html);
  return tidy(markdown);
}

export function tidy(text: string): string {
  return trimLineEnds(text.replaceAll('\u0000', '').replace(/\u00a0/g, ' '))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Spaces and tabs at the end of every line dropped, as `/[ \t]+$/gm` would, in one pass: that
 * regex rescans a long run of spaces from each of its characters when text follows it.
 */
function trimLineEnds(text: string): string {
  return text
    .split(/([\n\r\u2028\u2029])/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      let end = part.length;
      while (end > 0 && (part[end - 1] === ' ' || part[end - 1] === '\t')) end--;
      return part.slice(0, end);
    })
    .join('');
}

/**
 * Text that is HTML-entity-encoded HTML ("&lt;p&gt;…", common in JSON-LD descriptions) decoded
 * once into real HTML; HTML that is already markup is returned as is.
 */
export function decodeEncodedHtml(text: string): string {
  if (/<[a-z][^>]*>/i.test(text) || !/&(lt|gt|amp|#\d+|#x[0-9a-f]+);/i.test(text)) return text;
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const holder = document.createElement('div');
  holder.innerHTML = text;
  return holder.textContent ?? text;
}

/** Plain text of an HTML fragment (titles and names sometimes carry tags or entities). */
export function plainText(html: string): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const holder = document.createElement('div');
  holder.innerHTML = decodeEncodedHtml(html);
  return (holder.textContent ?? '').replace(/\s+/g, ' ').trim();
}
