import { tidy } from '../imports/html-to-markdown.ts';

/** One line of text as laid out in the source, with what the layout says about it. */
export interface TextLine {
  /** Already Markdown inline (links as [text](url)). */
  text: string;
  /** From the font size (PDF): 1 for the largest text, 2 for section titles. */
  heading?: 1 | 2 | 3;
  /** A visible gap above the line: a new paragraph. */
  gapBefore?: boolean;
}

const BULLET = /^\s*[•●▪◦‣∙·■□➢►✓✔*–—-]\s+/;
const NUMBERED = /^\s*(\d{1,2})[.)]\s+/;

/** A short line in capitals, like "EXPERIENCE" or "WORK HISTORY": a section title. */
function looksLikeSectionTitle(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return (
    text.length <= 40 &&
    // "SQL" or "AWS, GCP" on a line of their own are skills, not sections.
    letters.length >= 4 &&
    !/[,|/·•]/.test(text) &&
    letters === letters.toUpperCase() &&
    letters !== letters.toLowerCase() &&
    !/[.,;:]$/.test(text) &&
    !/@|https?:|\d{3}/.test(text)
  );
}

/**
 * Lines of text to Markdown: headings from the layout or from capitals, bullets from the usual
 * glyphs, wrapped bullet lines joined back to their bullet, paragraphs at visible gaps.
 */
export function linesToMarkdown(lines: TextLine[]): string {
  const out: string[] = [];
  let inList = false;
  const blank = () => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  for (const line of lines) {
    const text = line.text.trim();
    if (text === '') {
      blank();
      inList = false;
      continue;
    }
    if (line.heading || looksLikeSectionTitle(text)) {
      blank();
      out.push(`${'#'.repeat(line.heading ?? 2)} ${text.replace(/:$/, '')}`);
      out.push('');
      inList = false;
      continue;
    }
    const bullet = BULLET.exec(text);
    const numbered = NUMBERED.exec(text);
    if (bullet || numbered) {
      if (!inList || line.gapBefore) blank();
      out.push(
        bullet
          ? `- ${text.slice(bullet[0].length)}`
          : `${numbered![1]}. ${text.slice(numbered![0].length)}`,
      );
      inList = true;
      continue;
    }
    if (inList && !line.gapBefore) {
      // A bullet's text wrapped onto the next line.
      out[out.length - 1] += ` ${text}`;
      continue;
    }
    if (line.gapBefore || inList) blank();
    inList = false;
    out.push(text);
  }
  return tidy(out.join('\n'));
}

/**
 * Plain text to Markdown. Setext underlines become headings; the first line, when it is short
 * and reads like a name, becomes the title.
 */
export function plainTextToMarkdown(text: string): string {
  const raw = text.replace(/\r\n?/g, '\n').split('\n');
  const lines: TextLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const current = raw[i]!.replace(/\t/g, '    ').trimEnd();
    const next = raw[i + 1]?.trim() ?? '';
    if (current.trim() && /^(=+|-{3,})$/.test(next)) {
      lines.push({ text: current, heading: next.startsWith('=') ? 1 : 2, gapBefore: true });
      i += 1;
      continue;
    }
    lines.push({ text: current });
  }
  const first = lines.findIndex((l) => l.text.trim() !== '');
  const firstLine = lines[first];
  if (firstLine && !firstLine.heading && looksLikeName(firstLine.text.trim()))
    firstLine.heading = 1;
  return linesToMarkdown(lines);
}

/** "Jeanne Dupré", not "Experienced engineer with 10 years…" or an address. */
export function looksLikeName(text: string): boolean {
  return (
    text.length <= 60 &&
    text.split(/\s+/).length <= 6 &&
    !/[@\d:/]|https?/.test(text) &&
    !BULLET.test(text) &&
    /^\p{Lu}/u.test(text)
  );
}

/** The title a Markdown resume starts with, if any ("# Jeanne Dupré"). */
export function firstHeading(markdown: string): string | undefined {
  const title = firstHeadingText(markdown)
    ?.replace(/[*_`[\]]/g, '')
    .trim();
  return title && title.length <= 80 ? title : undefined;
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
const isLineBreak = (ch: string | undefined) =>
  ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';

/**
 * What `/^#{1,2}\s+(.+?)\s*#*\s*$/m` captures, in one pass: the first line opening with one or
 * two #s and a space, its text from the first non-space character (a blank run after the #s
 * may cross line breaks, as \s does) to the end of that line, less a closing run of spaces,
 * #s and spaces. The regex itself backtracks cubically on a heading line of spaces ("# a",
 * 3,000 spaces, "b" took 10 s): one person's upload would freeze the server for everyone.
 */
function firstHeadingText(text: string): string | undefined {
  for (let start = 0; start < text.length;) {
    const q = start + (text[start + 1] === '#' ? 2 : 1);
    if (text[start] === '#' && isSpace(text[q])) {
      let s = q;
      while (isSpace(text[s])) s++;
      // Only blanks to the end: the title would be blank (or the line no heading at all).
      if (s >= text.length) return undefined;
      let end = s;
      while (end < text.length && !isLineBreak(text[end])) end++;
      let cut = end;
      while (cut > s && isSpace(text[cut - 1])) cut--;
      while (cut > s && text[cut - 1] === '#') cut--;
      while (cut > s && isSpace(text[cut - 1])) cut--;
      return text.slice(s, Math.max(cut, s + 1));
    }
    // The next line.
    while (start < text.length && !isLineBreak(text[start])) start++;
    start++;
  }
  return undefined;
}
