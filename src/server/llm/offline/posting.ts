import { cleanText, isBullet, sentences, stripBullet, stripMarkdown } from './text.ts';
import { SKILLS } from './vocabulary.ts';

export interface Requirement {
  text: string;
  importance: 'must' | 'nice';
}

export interface PostingAnalysis {
  role: string;
  company: string;
  location: string | null;
  salary: string | null;
  responsibilities: string[];
  requirements: Requirement[];
  skills: string[];
  /** Sentences about the company itself, as the posting words them. */
  about: string[];
}

type Section = 'responsibilities' | 'must' | 'nice' | 'about' | 'other' | 'skip' | 'form';

// Headings in English, German, French and Spanish; the first match wins. What follows a
// benefits heading is neither a duty nor a requirement ('skip'); an application form's
// questions ("Do you have:", "Preferred office?") look like headings, so only a markdown
// heading ends a form.
const HEADINGS: [RegExp, Section][] = [
  [/apply for this (job|position|role)|application form|submit (your |an )?application/i, 'form'],
  [
    /benefit|we offer|perks|salary|compensation|wir bieten|nous offrons|ofrecemos|(how )?to apply\b|equal (employment )?opportunity|self-identif/i,
    'skip',
  ],
  [
    /nice[- ]to[- ]have|bonus|preferred|plus if|a plus|wünschenswert|von vorteil|atout|deseable/i,
    'nice',
  ],
  [
    /requirement|qualification|must[- ]have|what you(['’]ll)? (bring|need|have)|who you are|about you\b|you have|^(your |the |candidate |ideal )?profile$|skills|anforderungen|ihr profil|^profil$|exigences|requisitos/i,
    'must',
  ],
  [
    /responsibilit|what you(['’]ll| will) do|the role|your (job|tasks|day)|duties|aufgaben|missions|responsabilidades|funciones/i,
    'responsibilities',
  ],
  [/about (us|the company)|who we are|über uns|qui sommes|sobre nosotros/i, 'about'],
  [/general information|additional information|^notes?$|^contact/i, 'other'],
];

// "Bonus" alone is pay more often than a wish ("bonus programs"): only "a bonus" is one.
const NICE_WORDS =
  /\b(nice to have|an? (huge |big |great |real )?plus|(is |as )?a bonus|an asset|(an |is an )?advantage(ous)?|preferred|ideally|desirable|von vorteil|wünschenswert|un plus)\b/i;
/** "Must hold a graduate degree, a Ph.D. preferred": the must outweighs the preference inside it. */
const STRONG_MUST = /\b(must|required|requires?|mandatory|essential)\b/i;
const isNice = (item: string) => NICE_WORDS.test(item) && !STRONG_MUST.test(item);
const MUST_WORDS =
  /\b(experience (with|in)|knowledge of|proficien|familiar|you have|required|must|degree|license|licen[cs]ed|certifi|fluent|erfahrung|kenntnisse|expérience|experiencia)\b/i;
/** A duty as a bullet usually opens with its verb ("Oversee payables", "Inspect vehicles"). */
const IMPERATIVE =
  /^(responsible for|oversee|update|work with|perform|analy[sz]e|maintain|prepare|support|coordinate|create|ensure|provide|assist|monitor|review|conduct|plan|manage|lead|develop|design|build|deliver|own|run|write|handle|process|track|report|train|teach|install|repair|inspect|serve|drive|collaborate|communicate|implement|respond|resolve|organi[sz]e|schedule|administer|document|research|identify|evaluate|reconcile|negotiate|sell|care for)\b/i;
const DUTY_WORDS =
  /\b(you will|you['’]ll|responsible for|own the|build|lead|manage|develop|design|deliver)\b/i;

// An amount with its currency after it starts only where a run of digits (and separators)
// starts: trying it from every digit of a long number made the search quadratic. The run's
// leading separators (",5000 EUR") are matched here and dropped from the amount in salaryIn.
const SALARY =
  /(?:(?:CHF|EUR|USD|GBP)\s?\d[\d,.]*\s?[kK]?(?:\s?(?:-|–|to|bis)\s?\d[\d,.]*\s?[kK]?)?|[$€£]\s?\d[\d,.]*\s?[kK]?(?:\s?(?:-|–|to|bis)\s?[$€£]?\s?\d[\d,.]*\s?[kK]?)?|(?<![\d,.])[,.]*\d[\d,.]*\s?[kK]?\s?(?:-|–|to|bis)\s?\d[\d,.]*\s?[kK]?\s?(?:€|EUR|USD|GBP|CHF)|(?<![\d,.])[,.]*\d[\d,.]*\s?(?:€|EUR|USD|GBP|CHF))(?:\s*(?:per|\/|a|pro)\s*(?:year|yr|annum|hour|hr|month|jahr|stunde))?/i;

/**
 * The first amount that reads as pay: four digits or more, a "k", or an hourly rate. "$8T
 * industry" and "$10M raised" are the company's numbers, not a salary.
 */
function salaryIn(text: string): string | null {
  for (const m of text.matchAll(new RegExp(SALARY.source, 'gi'))) {
    const amount = m[0].replace(/^[,.]+/, '').trim();
    // What follows the amount decides; a few characters are all the tests below read.
    const end = (m.index ?? 0) + m[0].length;
    const after = text.slice(end, end + 16);
    if (/^[a-z]/i.test(after) && !/\s$/.test(m[0])) continue;
    if (/^\s?(million|billion|trillion|[MBT]\b)/i.test(after)) continue;
    if (
      (amount.match(/\d/g) ?? []).length >= 4 ||
      /\d\s?k\b/i.test(amount) ||
      /hour|hr|stunde/i.test(amount)
    )
      return amount;
  }
  return null;
}

/**
 * A posting saved as JSON (the JSON Resume job schema: title, description, responsibilities,
 * qualifications, skills with keywords, location) as the markdown the reader expects; other
 * text is returned as it is.
 */
function jsonPostingOut(text: string): string {
  if (!/^\s*\{/.test(text)) return text;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return text;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return text;
  const out: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key.startsWith('$') || key === 'meta') continue;
    if (/^(description|summary)$/i.test(key) && str(value)) out.push(str(value), '');
    else if (key === 'location' && value && typeof value === 'object') {
      const l = value as Record<string, unknown>;
      const place = [l.city, l.region, l.countryCode].map(str).filter(Boolean);
      if (place.length > 0) out.push(`Location: ${[...new Set(place)].join(', ')}`, '');
    } else if (Array.isArray(value)) {
      const items = value.flatMap((v): string[] => {
        if (str(v)) return [str(v)];
        if (!v || typeof v !== 'object') return [];
        const o = v as Record<string, unknown>;
        const keywords = Array.isArray(o.keywords) ? o.keywords.map(str).filter(Boolean) : [];
        return str(o.name)
          ? [keywords.length > 0 ? `${str(o.name)}: ${keywords.join(', ')}` : str(o.name)]
          : [];
      });
      if (items.length > 0) out.push(`## ${key}`, ...items.map((i) => `- ${i}`), '');
    }
  }
  return out.length > 0 ? out.join('\n') : text;
}

function headingOf(line: string): Section | undefined {
  // "**Who may apply:**" ends in a colon once its emphasis is gone.
  const colon = /:$/.test(stripMarkdown(line));
  const bare = stripMarkdown(line).replace(/:$/, '');
  const looksLikeHeading =
    /^#+\s/.test(line) ||
    colon ||
    (bare.length <= 60 && !/[.!?]$/.test(bare) && !isBullet(line) && bare.split(/\s+/).length <= 6);
  if (!looksLikeHeading) return undefined;
  for (const [re, section] of HEADINGS) if (re.test(bare)) return section;
  return /^#+\s/.test(line) || colon ? 'other' : undefined;
}

/**
 * Front matter of a saved page (YAML between "---" lines, TOML between "+++"): one-line values
 * are metadata (a date, a slug, "occupationalCategory: …"); a block value ("requirements: >-"
 * and its indented lines) is posting text, kept under its key as a heading. Folded lines join
 * the item above them unless they start a new bullet.
 */
function frontMatterOut(text: string): string {
  const m = /^\s*(---|\+\+\+)[ \t]*\n([\s\S]*?)\n\1[ \t]*(?:\n|$)/.exec(text);
  if (!m) return text;
  const body = text.slice(m[0].length);
  if (m[1] === '+++') return body;
  const out: string[] = [];
  let inBlock = false;
  for (const line of m[2]!.split('\n')) {
    const key = /^([\w-]+):\s*(?:([>|][+-]?)\s*)?$/.exec(line);
    if (key) {
      inBlock = Boolean(key[2]);
      if (inBlock) out.push('', `## ${key[1]!.replace(/[_-]+/g, ' ').replace(/ markdown$/, '')}`);
      continue;
    }
    if (line.trim() && !/^\s/.test(line)) {
      inBlock = false;
      continue;
    }
    if (!inBlock) continue;
    const content = line.trim();
    if (!content) out.push('');
    else if (isBullet(content) || out.at(-1) === '' || /^## /.test(out.at(-1) ?? ''))
      out.push(content);
    else out[out.length - 1] += ` ${content}`;
  }
  return `${out.join('\n').trim()}\n\n${body}`.trim();
}

/** "Responsibilities: …" inside a paragraph: a label the headings know, then its content. */
function labelOf(sentence: string): { section: Section; rest: string } | undefined {
  const m = /^([\p{L}][\p{L} '’&/-]{1,40}):\s+(\S.*)$/u.exec(sentence);
  // Four words at most, and no camelCase keys of structured data ("experienceRequirements").
  if (!m || m[1]!.trim().split(/\s+/).length > 4 || /\p{Ll}\p{Lu}/u.test(m[1]!)) return undefined;
  for (const [re, section] of HEADINGS) if (re.test(m[1]!)) return { section, rest: m[2]! };
  return undefined;
}

/** Employment terms listed among requirements are not something a resume can meet. */
const JUNK_REQUIREMENT =
  /^(full[- ]?time|part[- ]?time|permanent|temporary|contract|freelance|remote|hybrid|on[- ]?site|in[- ]office)\.?$/i;

/** A sentence of prose that introduces the list below it rather than being one of its items. */
const isLeadIn = (item: string) =>
  /[.:]$/.test(item) && item.split(/\s+/).length >= 10 && !/^[-–]/.test(item);

/**
 * Capitalised words that are not skills: currencies (from a salary), places, pronouns, job
 * titles of the people one reports to, and the boilerplate of postings.
 */
const NOT_SKILLS =
  /^(I|A|OR|AND|THE|WE|YOU|US|USA|EU|UK|UAE|NYC|HR|CV|OK|TBD|FTE|ASAP|FAQ|FYI|NB|PS|EOE|EEO|PTO|OTE|DOE|HQ|CEO|COO|CTO|CFO|CMO|CPO|VP|AM|PM|EUR|USD|GBP|CHF|CZK|PLN|SEK|NOK|DKK|HUF|JPY|CNY|INR|CAD|AUD|NZD|SGD|HKD|Q[1-4]|[A-Z]\d+)$/;

/**
 * Vocabulary words that are also ordinary words ("go to market", "the rest of the team",
 * "excel at", "reporting to the COO"): they count as skills only where the text spells them as
 * names, capitalised in mid-sentence.
 */
const asName = (name: string) =>
  new RegExp(`(?:[\\p{L},;(:/] |[-*•|] |^)(?:${name})\\b(?![-'’]| (?:to|at|for)\\b)`, 'mu');
const AMBIGUOUS: Record<string, RegExp> = {
  go: asName('Go|Golang'),
  rest: /\bREST(ful)?\b/,
  swift: asName('Swift'),
  spark: /\b(Spark|PySpark)\b/,
  excel: asName('Excel|MS Excel'),
  rails: /\bRails\b/,
  reporting: /\breporting\b(?! (directly |straight )?(to|into)\b)/i,
};

/** Each vocabulary skill as a whole word, compiled once (skillsIn runs per line and per requirement). */
const SKILL_PATTERNS = SKILLS.map((s): [string, RegExp] => {
  const escaped = s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [s, new RegExp(`(^|[^\\p{L}\\p{N}+#])${escaped}(?=$|[^\\p{L}\\p{N}+#])`, 'u')];
});

const isCapital = (ch: string | undefined) => ch !== undefined && ch >= 'A' && ch <= 'Z';
const isWordChar = (ch: string | undefined) => ch !== undefined && /\w/.test(ch);

/**
 * Shouted labels blanked as `/\b[A-Z][A-Z ]{2,}:/g` would, in one pass: the regex retried
 * from every capital of a long run of capitals and spaces with no colon after it. Every start
 * inside one run ends at the same colon, so the first start that fits wins.
 */
function blankLabels(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length;) {
    if (!isCapital(text[i])) {
      i++;
      continue;
    }
    let end = i;
    while (isCapital(text[end]) || text[end] === ' ') end++;
    if (text[end] === ':') {
      for (let p = i; p < end - 2; p++) {
        if (isCapital(text[p]) && !isWordChar(text[p - 1])) {
          out += `${text.slice(from, p)} `;
          from = end + 1;
          break;
        }
      }
    }
    i = end;
  }
  return out + text.slice(from);
}

/** Skills named in the text: the vocabulary, plus acronyms (AWS, ICU, CPA) anywhere in it. */
export function skillsIn(text: string): string[] {
  const lower = ` ${text.toLowerCase()} `;
  // The plain substring first: most skills are not in a given line, and includes is cheap.
  const found = SKILL_PATTERNS.filter(
    ([s, re]) => lower.includes(s) && re.test(lower) && (AMBIGUOUS[s]?.test(text) ?? true),
  ).map(([s]) => s);
  // Shouted labels ("TO APPLY:", "GENERAL INFORMATION:") are not acronyms.
  const unlabelled = blankLabels(text);
  const acronyms = (unlabelled.match(/\b[A-Z][A-Z0-9&]{1,5}\b/g) ?? []).filter(
    (a) => !NOT_SKILLS.test(a),
  );
  const all = [...found, ...acronyms.map((a) => a.toLowerCase())];
  return [...new Set(all)];
}

/**
 * Reads a job posting the way a careful person skims it: headings decide what a bullet is
 * (responsibility, must-have, nice-to-have); wording decides when there are no headings.
 */
export function analyzePosting(job: {
  company: string;
  role: string;
  location: string | null;
  description: string;
}): PostingAnalysis {
  const text = cleanText(jsonPostingOut(frontMatterOut(job.description.replace(/\r\n?/g, '\n'))))
    // A heading glued to the end of the previous line by a scraper ("… health## What you need").
    .replace(/(\S)(#{2,6} )/g, '$1\n$2')
    // Markdown escapes of a saved page: "1\. Degree" is a numbered item, "Name\*" a plain star.
    .replace(/\\([.*_#()[\]!+-])/g, '$1');
  const responsibilities: string[] = [];
  const requirements: Requirement[] = [];
  const about: string[] = [];
  let section: Section = 'other';
  let sawSections = false;
  // A list ends at a blank line followed by prose: what comes after it is not one more item.
  let sawBullet = false;
  let blank = false;
  // Loose bullets are remembered as such: a bullet opening with a verb is a duty.
  const loose: string[] = [];
  const looseBullets = new Set<string>();
  const lines = text.split('\n');
  // The first non-blank line after each line, found in one backward pass (searching forward
  // from every line was quadratic in the number of lines).
  const nextFilled: string[] = new Array<string>(lines.length);
  for (let i = lines.length - 1, next = ''; i >= 0; i--) {
    nextFilled[i] = next;
    if (lines[i]!.trim()) next = lines[i]!;
  }
  const add = (item: string, bullet: boolean, leadIn = false) => {
    switch (section) {
      case 'responsibilities':
        responsibilities.push(item);
        break;
      case 'must':
      case 'nice':
        if (JUNK_REQUIREMENT.test(item)) break;
        // Prose leading into a list ("We will train you in …:") is read by its wording.
        if (leadIn) {
          loose.push(...sentences(item));
          break;
        }
        requirements.push({
          text: item,
          importance: section === 'nice' || isNice(item) ? 'nice' : 'must',
        });
        break;
      case 'about':
        about.push(item);
        break;
      case 'other':
        if (bullet) looseBullets.add(item);
        loose.push(...(bullet ? [item] : sentences(item)));
        break;
      case 'skip':
      case 'form':
        break;
    }
  };
  /** A labelled run: duties split at commas, requirements at semicolons (commas join "A, B or C"). */
  const addLabelled = (label: { section: Section; rest: string }) => {
    section = label.section;
    sawSections = true;
    const rest = label.rest.replace(/[.;]$/, '');
    const items =
      section === 'responsibilities'
        ? splitTrimmed(rest, /[,;]/).map((x) => x.replace(/^and\s+/, ''))
        : section === 'must' || section === 'nice'
          ? splitTrimmed(rest, /;/)
          : [label.rest];
    for (const x of items.map((x) => x.trim()).filter(Boolean)) add(x, section !== 'other');
  };
  lines.forEach((line, i) => {
    if (!line.trim()) {
      blank = true;
      return;
    }
    const heading = headingOf(line);
    const wasBlank = blank;
    blank = false;
    if (section === 'form' && !/^#+\s/.test(line)) return;
    if (heading) {
      section = heading;
      sawSections = true;
      sawBullet = false;
      return;
    }
    const item = stripMarkdown(line);
    if (!item) return;
    const bullet = isBullet(line);
    if (bullet) sawBullet = true;
    else if (sawBullet && wasBlank) {
      section = 'other';
      sawBullet = false;
    }
    if (bullet) {
      // "- Qualifications: …" under a job's heading: the label decides for this bullet only.
      const label = labelOf(item);
      if (!label) return add(item, true);
      const outer = section;
      addLabelled(label);
      section = outer;
      return;
    }
    // "Responsibilities: a, b, c. Salary: …": each labelled sentence is a small section.
    const parts = sentences(item);
    if (!parts.some((p) => labelOf(p))) {
      const nextIsBullet = isBullet(nextFilled[i]!);
      return add(item, false, nextIsBullet && isLeadIn(item));
    }
    for (const part of parts) {
      const label = labelOf(part);
      if (label) addLabelled(label);
      else add(part, false);
    }
  });
  // Prose postings, or prose around the sections: classify each sentence by its wording.
  // Duties listed before any heading ("… tasks including:" then bullets) count when the
  // posting has no section of duties of its own.
  const noDutySection = responsibilities.length === 0;
  const aboutUs = new RegExp(`\\b(we|${escapeRe(job.company)})\\b`, 'i');
  for (const s of loose) {
    const item = stripBullet(s);
    if (isNice(item)) requirements.push({ text: item, importance: 'nice' });
    else if (MUST_WORDS.test(item)) requirements.push({ text: item, importance: 'must' });
    else if (DUTY_WORDS.test(item) && !sawSections) responsibilities.push(item);
    else if (noDutySection && looseBullets.has(s) && IMPERATIVE.test(item))
      responsibilities.push(item);
    else if (aboutUs.test(item)) about.push(item);
  }
  const salaryMatch = salaryIn(text);
  const locationLine = locationLineIn(text);
  const remote = /\b(fully remote|remote|hybrid|on-site|onsite)\b[^.\n]*/i.exec(text);
  return {
    role: job.role,
    company: job.company,
    location: job.location ?? locationLine?.trim() ?? remote?.[0]?.trim() ?? null,
    salary: salaryMatch,
    responsibilities: dedupe(responsibilities),
    requirements: dedupeBy(requirements, (r) => r.text),
    skills: skillsIn(requirements.map((r) => r.text).join('\n') || text),
    about: dedupe(about).slice(0, 5),
  };
}

/**
 * What splitting at a separator with the blanks around it (`\s*;\s*`) gives, without that
 * regex's quadratic search through a long run of spaces: split, then drop the blanks that
 * touched a separator.
 */
function splitTrimmed(s: string, sep: RegExp): string[] {
  const parts = s.split(sep);
  return parts.map((p, i) => {
    const start = i > 0 ? p.trimStart() : p;
    return i < parts.length - 1 ? start.trimEnd() : start;
  });
}

const LOCATION_KEY = /location|standort|lieu|ubicación/gi;
const LOCATION_VALUE = /\s*:\s*([^\n]+)/y;

/**
 * The value of the first "Location: …" line, as `/(?:^|\n)\s*(?:location|…)\s*:\s*([^\n]+)/i`
 * finds it, in linear time: the regex retried every line break of a long blank run. A key counts
 * when only blanks, one of them a line break (or the start of the text), come before it.
 */
function locationLineIn(text: string): string | undefined {
  for (const key of text.matchAll(LOCATION_KEY)) {
    let i = key.index;
    while (i > 0 && text[i - 1] !== '\n' && /\s/.test(text[i - 1]!)) i--;
    if (i > 0 && text[i - 1] !== '\n') continue;
    LOCATION_VALUE.lastIndex = key.index + key[0].length;
    const value = LOCATION_VALUE.exec(text);
    if (value) return value[1];
  }
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const dedupe = (xs: string[]) => [...new Set(xs)];
function dedupeBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && seen.add(key(x)));
}
