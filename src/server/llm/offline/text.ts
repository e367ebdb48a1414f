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
  s = s
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|li|ul|ol|h[1-6])>|<br\s*\/?>/gi, '\n')
    .replace(/<h[1-6][^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const BULLET = /^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+/;

export const isBullet = (line: string) => BULLET.test(line);
export const stripBullet = (line: string) => line.replace(BULLET, '').trim();
export const stripMarkdown = (line: string) =>
  stripBullet(line.replace(/^#+\s*/, ''))
    // Links keep their words ("[disciplined](https://…)" → "disciplined").
    .replace(/\[([^\]]+)\]\([^)\s]*\)/g, '$1')
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
  return (
    text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}+#./-]*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu) ?? []
  )
    .map((w) => w.replace(/[./-]+$/, ''))
    .filter((w) => w.length >= 2 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
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
