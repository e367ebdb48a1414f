import porter2 from 'wink-porter2-stemmer';

/**
 * Past forms that no suffix rule reaches, mapped to the form Porter2 stems like the rest of
 * their family ("led" meets "leading"). Only unambiguous ones: "found" (to found a company),
 * "saw" (the tool) and "left" (the side) are not here.
 */
const IRREGULAR: Record<string, string> = {
  led: 'lead',
  built: 'build',
  rebuilt: 'rebuild',
  ran: 'run',
  wrote: 'write',
  written: 'write',
  rewrote: 'rewrite',
  rewritten: 'rewrite',
  drove: 'drive',
  driven: 'drive',
  grew: 'grow',
  grown: 'grow',
  taught: 'teach',
  bought: 'buy',
  sold: 'sell',
  spoke: 'speak',
  spoken: 'speak',
  made: 'make',
  began: 'begin',
  begun: 'begin',
  chose: 'choose',
  chosen: 'choose',
  brought: 'bring',
  thought: 'think',
  won: 'win',
  met: 'meet',
  kept: 'keep',
  held: 'hold',
  sent: 'send',
  spent: 'spend',
  gave: 'give',
  given: 'give',
  took: 'take',
  taken: 'take',
  undertook: 'undertake',
  undertaken: 'undertake',
  became: 'become',
  understood: 'understand',
  oversaw: 'oversee',
  overseen: 'oversee',
  drew: 'draw',
  drawn: 'draw',
  fought: 'fight',
  sought: 'seek',
  caught: 'catch',
};

/**
 * Derived forms that Porter2 leaves apart from their family, mapped to a member it stems like
 * the rest: "leadership" and "leader" meet "led" and "leading", "supervisor" meets "supervised".
 * Whole words only, listed one by one, so no rule reaches an unrelated word ("load", "leash").
 */
const DERIVED: Record<string, string> = {
  leadership: 'lead',
  leaderships: 'lead',
  leader: 'lead',
  leaders: 'lead',
  ownership: 'own',
  owner: 'own',
  owners: 'own',
  mentorship: 'mentor',
  mentorships: 'mentor',
  supervisor: 'supervise',
  supervisors: 'supervise',
  supervision: 'supervise',
  supervised: 'supervise',
  supervising: 'supervise',
  supervises: 'supervise',
  administer: 'administration',
  administers: 'administration',
  administered: 'administration',
  administering: 'administration',
  trainer: 'train',
  trainers: 'train',
  teacher: 'teach',
  teachers: 'teach',
  researcher: 'research',
  researchers: 'research',
  partnership: 'partner',
  partnerships: 'partner',
};

/**
 * British spellings folded into American ones before stemming, so "analysed" meets "analyzed",
 * "organisation" meets "organization" and "colour" meets "color". Each rule needs a few letters
 * before the suffix, so short words ("rise", "wise", "hour", "your") are left alone.
 */
const SPELLING: [RegExp, string][] = [
  [/^(\w{3,})is(e|ed|es|ing|ation|ations|er|ers)$/, '$1iz$2'],
  [/^(\w{3,})ys(e|ed|es|ing|er|ers)$/, '$1yz$2'],
  [/^(\w{3,})our(s|ed|ing|ite|ites|able)?$/, '$1or$2'],
  [/^(\w{2,}[^aeiou])(t|b)re(s|d)?$/, '$1$2er$3'],
];

const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/**
 * Longer words are kept as written. Porter2 (the library) is quadratic in the word's length: one
 * 10,000-letter "word" in a pasted posting took 4 s, a 40,000-letter one 47 s. The longest
 * dictionary words (German compounds included) stay well below this.
 */
export const MAX_STEM_LENGTH = 64;

/**
 * The one stemmer of the offline engine, the match analysis and the grounding check (so they
 * agree on what counts as the same word): derived and irregular forms, then British → American
 * spelling, then Porter2 (Snowball English). Tech spellings (c++, node.js, ci/cd) and tokens
 * with digits stay as written. Deterministic; expects a lower-cased word.
 */
export function stem(word: string): string {
  if (word.length <= 2 || /[^\p{Ll}-]/u.test(word)) return word;
  if (word.includes('-')) return word.split('-').map(stem).join('-');
  if (word.length > MAX_STEM_LENGTH) return word;
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  let w = DERIVED[word] ?? IRREGULAR[word] ?? word;
  for (const [re, to] of SPELLING) w = w.replace(re, to);
  const out = porter2(w);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
