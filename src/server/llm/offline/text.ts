/** Text helpers shared by the posting and resume readers. Pure functions, no I/O. */
import { stem } from './stem.ts';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  bull: '•',
  euro: '€',
  pound: '£',
  rsquo: '’',
  lsquo: '‘',
  hellip: '…',
};

/** Postings pasted from web pages carry tags and entities (often encoded twice). */
export function cleanText(raw: string): string {
  let s = raw;
  for (let i = 0; i < 2 && /&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(s); i++) {
    s = s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000
          ? String.fromCodePoint(code)
          : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
  }
  s = replaceTags(
    replaceTags(
      replaceTags(dropScripts(s), /<li/gi, '\n- ').replace(
        /<\/(p|div|li|ul|ol|h[1-6])>|<br\s*\/?>/gi,
        '\n',
      ),
      /<h[1-6]/gi,
      '\n',
    ),
    /</g,
    '',
    1,
  );
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * `<script>…</script>` and `<style>…</style>` blocks dropped, as `/<(script|style)[\s\S]*?<\/\1>/gi`
 * would: that regex rescans the rest of the text from every opening tag that is never closed.
 * Here each closing tag is searched for once from its opening, and never again once missing.
 */
function dropScripts(s: string): string {
  const open = /<(script|style)/gi;
  const unclosed = new Set<string>();
  let out = '';
  let from = 0;
  for (let m = open.exec(s); m && unclosed.size < 2; m = open.exec(s)) {
    const name = m[1]!.toLowerCase();
    if (unclosed.has(name)) continue;
    const close = new RegExp(`</${name}>`, 'gi');
    close.lastIndex = open.lastIndex;
    const end = close.exec(s);
    if (!end) {
      unclosed.add(name);
      continue;
    }
    out += s.slice(from, m.index);
    from = close.lastIndex;
    open.lastIndex = from;
  }
  return out + s.slice(from);
}

/**
 * Every tag that opens with `head` (a global regex such as /<li/gi) up to the next `>` replaced,
 * as `/<li[^>]*>/gi` would (with `minInner` characters at least between them), in one pass. The
 * regex form rescans the rest of the text from every "<" that no ">" follows: quadratic on a
 * pasted page of "<".
 */
function replaceTags(s: string, head: RegExp, by: string, minInner = 0): string {
  let out = '';
  let from = 0;
  head.lastIndex = 0;
  for (let m = head.exec(s); m; m = head.exec(s)) {
    const after = m.index + m[0].length;
    if (minInner > 0 && (after >= s.length || s[after] === '>')) {
      head.lastIndex = m.index + 1;
      continue;
    }
    const close = s.indexOf('>', after + minInner);
    // No ">" after this one, so none after any later head either.
    if (close < 0) break;
    out += s.slice(from, m.index) + by;
    from = close + 1;
    head.lastIndex = from;
  }
  return out + s.slice(from);
}

const SPACE = /\s/;

/**
 * Markdown links unwrapped to their text, as `/\[([^\]]+)\]\([^)\s]*\)/g` → "$1" would, in one
 * pass (the regex is quadratic on a line of "[" or of "[a](x" repeated). A failed candidate
 * shares its "]" with every "[" before that "]", so the search goes on after it; the scan for
 * the ")" remembers where it stopped, since later candidates would stop at the same place.
 */
function unwrapLinks(s: string): string {
  let out = '';
  let from = 0;
  let search = 0;
  let stopFrom = -1;
  let stop = -1;
  for (;;) {
    const open = s.indexOf('[', search);
    if (open < 0 || open + 1 >= s.length) break;
    if (s[open + 1] === ']') {
      search = open + 1;
      continue;
    }
    const close = s.indexOf(']', open + 1);
    if (close < 0) break;
    search = close + 1;
    if (s[close + 1] !== '(') continue;
    const target = close + 2;
    if (!(stopFrom >= 0 && target >= stopFrom && target <= stop)) {
      stopFrom = target;
      stop = target;
      while (stop < s.length && s[stop] !== ')' && !SPACE.test(s[stop]!)) stop++;
    }
    if (s[stop] !== ')') continue;
    out += s.slice(from, open) + s.slice(open + 1, close);
    from = stop + 1;
    search = from;
  }
  return out + s.slice(from);
}

const BULLET = /^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+/;

export const isBullet = (line: string) => BULLET.test(line);
export const stripBullet = (line: string) => line.replace(BULLET, '').trim();
export const stripMarkdown = (line: string) =>
  // Links keep their words ("[disciplined](https://…)" → "disciplined").
  unwrapLinks(stripBullet(line.replace(/^#+\s*/, '')))
    .replace(/\*\*|__/g, '')
    // Single-star or underscore emphasis ("— *2016 – 2020*", "_You're curious_"); a lone
    // star (a footnote, "5*") or snake_case stays.
    .replace(/(^|[\s(])([*_])(\S(?:[^*_]*\S)?)\2(?=$|[\s).,;:-])/g, '$1$3')
    .trim();

const STOPWORDS = new Set(
  `a an and are as at be by for from has have in is it its of on or our the their this to was we
  were will with you your yours who what when where which while within into than that these those
  they them us all any can may must should would could also other more most such not only very
  able years year experience experienced strong good great excellent knowledge understanding
  ability skills skill work working team teams role including using use well across new etc plus
  preferred nice bonus required requirement requirements ideally ideal candidate candidates
  least minimum over per about like get make help join looking seeking need needs want wants
  der die das und oder mit für von zu im in ein eine einen sie wir ihr ihre des den dem auf als
  le la les et ou des du un une pour avec en de vous nous el los las y o con para una por`.split(
    /\s+/,
  ),
);

/** Lower-cased content words; keeps tech spellings like c++, c#, node.js, ci/cd. */
export function words(text: string): string[] {
  // A word never ends in ".", "/" or "-": the pattern's last character excludes them.
  return (
    text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}+#./-]*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu) ?? []
  ).filter((w) => w.length >= 2 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

export { stem };

export const stems = (text: string) => new Set(words(text).map(stem));

/** Splits prose into sentences, keeping bullets as their own sentences. */
export function sentences(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => (isBullet(line) ? [line] : line.split(/(?<=[.!?])\s+(?=[\p{Lu}\d])/u)))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
