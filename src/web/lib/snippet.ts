import { decodeEntities } from './markdown.ts';

export interface SnippetPart {
  text: string;
  mark: boolean;
}

/**
 * Search snippets arrive HTML-escaped with matches in <mark></mark>. Rather than trusting that
 * as HTML, split on exactly those two tags and decode the rest into plain text parts: any other
 * markup, escaped or not, can only ever show as text.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') mark = true;
    else if (piece === '</mark>') mark = false;
    else if (piece !== '') parts.push({ text: decodeEntities(piece), mark });
  }
  return parts;
}
