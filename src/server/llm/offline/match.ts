import type { PostingAnalysis, Requirement } from './posting.ts';
import { skillsIn } from './posting.ts';
import { cleanText, stem, stems, stripMarkdown, words } from './text.ts';
import { TokenRuns } from './token-runs.ts';

export interface RequirementMatch extends Requirement {
  status: 'met' | 'partial' | 'missing';
  /** Lines of the resume, quoted verbatim (markdown bullets stripped). */
  evidence: string[];
}

export interface MatchAnalysis {
  /** 0–100: must-haves weigh twice as much as nice-to-haves; partial counts half. */
  score: number;
  requirements: RequirementMatch[];
  /** Skills the posting names that the resume never mentions. */
  missingKeywords: string[];
}

/** Headings that name a resume section, not a job: never evidence for a requirement. */
const SECTION_HEADING =
  /^(experience|work experience|professional experience|employment( history)?|work history|education|skills|technical skills|summary|profile|about( me)?|projects|certifications?|licen[cs]es?( (and|&) certifications?)?|languages|interests|references|publications|awards|volunteering|contact)$/i;

/** Contact details (mail, phone, links) say where to reach someone, not what they did. */
const CONTACT = /@|https?:\/\/|www\.|\+?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{3,4}/;

/**
 * The resume's meaningful lines, bullets unwrapped: job-title headings ("### Registered Nurse,
 * St. Anne's (2016–2024)") count, being the best evidence for a title or licence; the name
 * line, section headings and contact lines do not.
 */
export function resumeLines(resume: string): string[] {
  const raw = cleanText(resume).split('\n');
  const first = raw.findIndex((l) => l.trim());
  return raw
    .filter((l, i) => l.trim() && i !== first)
    .map(stripMarkdown)
    .filter(
      (l) => words(l).length > 0 && !SECTION_HEADING.test(l.replace(/:$/, '')) && !CONTACT.test(l),
    );
}

/** The stems of a text in order, space-delimited, so a skill's stems can be found as a phrase. */
const stemPhrase = (text: string) => ` ${words(text).map(stem).join(' ')} `;

/**
 * Acronyms and their spelled-out names, both ways: a posting's "EHR" is met by a resume's
 * "electronic health records". Explicit pairs only, so nothing else is read into an acronym.
 */
const ALIASES: [string, string][] = [
  ['ehr', 'electronic health records'],
  ['emr', 'electronic medical records'],
  ['rn', 'registered nurse'],
  ['crm', 'customer relationship management'],
  ['ml', 'machine learning'],
  ['k8s', 'kubernetes'],
  ['js', 'javascript'],
  ['ts', 'typescript'],
  ['postgres', 'postgresql'],
  ['golang', 'go'],
];
const namesOf = (skill: string) => [
  skill,
  ...ALIASES.flatMap(([a, b]) => (a === skill ? [b] : b === skill ? [a] : [])),
];

/** A stem phrase's tokens; undefined when it has an empty one (then only includes() will do). */
const tokensOf = (phrase: string) => {
  const tokens = phrase.trim().split(' ');
  return tokens.every((t) => t !== '') ? tokens : undefined;
};

/**
 * Names like an acronym's (2–6 letters, digits or "&", as skillsIn reads them) are found through
 * an index of the lines' substrings of that shape.
 */
const SHORT_NAME = /^[a-z0-9&]{2,6}$/;
const NAME_CHAR = /[a-z0-9&]/;
/** Distinct short names searched for directly before that index is built. */
const DIRECT_SEARCHES = 64;

/** Every index at which `needle` occurs in `haystack` (overlapping ones included). */
function occurrences(haystack: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) at.push(i);
  return at;
}

/**
 * The resume read once for a whole posting: its lines with their stems, which lines hold each
 * stem, and (filled as requirements ask) the weight of each stem and the lines naming each
 * skill. Matching a requirement then touches only the lines that share something with it, so
 * a 300-requirement posting against a 1,200-line resume costs what the two texts hold, not
 * their product (it was 13 s of rescanning every line per term).
 */
class ResumeIndex {
  readonly lines: string[];
  private readonly lineStems: Set<string>[];
  private readonly linesOfStem = new Map<string, number[]>();
  private readonly resumeStems: Set<string>;
  private readonly resumePhrase: string;
  private readonly resumeSkills: Set<string>;
  /** The lines lower-cased, joined by "\n", with where each starts. */
  private readonly lowerText: string;
  private readonly lowerStarts: number[] = [];
  private readonly lower: string[];
  private readonly phrases: string[];
  /** Runs of stems in the lines and in the whole resume (a separator token between lines). */
  private readonly lineRuns: TokenRuns;
  private readonly resumeRuns: TokenRuns;
  /** Short substring → the lines holding it, built once many names have been asked for. */
  private substrings: Map<string, number[]> | undefined;
  private directSearches = 0;
  private readonly weights = new Map<string, number>();
  private readonly namedBy = new Map<string, Set<number>>();
  private readonly skillFound = new Map<string, boolean>();

  constructor(resume: string) {
    this.lines = resumeLines(resume);
    this.lineStems = this.lines.map((l) => stems(l));
    this.lineStems.forEach((set, i) => {
      for (const t of set) {
        const at = this.linesOfStem.get(t);
        if (at) at.push(i);
        else this.linesOfStem.set(t, [i]);
      }
    });
    this.lower = this.lines.map((l) => l.toLowerCase());
    this.lowerText = joinLines(this.lower, this.lowerStarts);
    this.phrases = this.lines.map(stemPhrase);
    this.lineRuns = new TokenRuns(
      this.phrases.flatMap((p) => ['\n', ...p.split(' ').filter(Boolean)]),
    );
    this.resumeStems = new Set(words(resume).map(stem));
    this.resumePhrase = cleanText(resume).split('\n').map(stemPhrase).join('|');
    this.resumeRuns = new TokenRuns(this.resumePhrase.split(' ').filter(Boolean));
    this.resumeSkills = new Set(skillsIn(resume));
  }

  /**
   * Whether the resume names a skill by its stems: "Led a team" names "leadership", "managed
   * budgets" names "budgeting". Multi-word skills must appear as a phrase (a run of stems).
   */
  private resumeNames(name: string): boolean {
    const phrase = stemPhrase(name);
    if (phrase.trim() === '') return false;
    const tokens = tokensOf(phrase);
    return tokens ? this.resumeRuns.has(tokens) : this.resumePhrase.includes(phrase);
  }

  /** The lines whose lower-cased text contains `name`. */
  private linesContaining(name: string): number[] {
    if (SHORT_NAME.test(name)) {
      if (this.substrings) return this.substrings.get(name) ?? [];
      if (++this.directSearches > DIRECT_SEARCHES) {
        this.substrings = substringIndex(this.lower);
        return this.substrings.get(name) ?? [];
      }
    }
    return occurrences(this.lowerText, name).map((i) => lineAt(this.lowerStarts, i));
  }

  /** The lines naming `name` by its stems, as a phrase. */
  private linesPhrasing(name: string): readonly number[] {
    const phrase = stemPhrase(name);
    if (phrase.trim() === '') return [];
    const tokens = tokensOf(phrase);
    if (tokens?.length === 1) return this.linesWith(tokens[0]!);
    if (tokens && !this.lineRuns.has(tokens)) return [];
    // Candidates: the lines holding the name's rarest stem; each is checked as written.
    const rarest = (tokens ?? [])
      .map((t) => this.linesWith(t))
      .reduce<readonly number[] | undefined>(
        (a, b) => (!a || b.length < a.length ? b : a),
        undefined,
      );
    const candidates = rarest ?? this.lines.map((_, i) => i);
    return candidates.filter((i) => this.phrases[i]!.includes(phrase));
  }

  hasStem(t: string): boolean {
    return this.resumeStems.has(t);
  }

  /** The lines holding a stem, in order. */
  linesWith(t: string): readonly number[] {
    return this.linesOfStem.get(t) ?? [];
  }

  /** A word found on few lines says more than one found on many; a long word more than a short one. */
  weightOf(t: string): number {
    let w = this.weights.get(t);
    if (w === undefined) {
      const df = this.linesWith(t).length;
      w = Math.log(1 + (this.lines.length + 1) / (df + 1)) * (t.length >= 6 ? 1.5 : 1);
      this.weights.set(t, w);
    }
    return w;
  }

  /** Whether the resume names a skill (or its acronym or spelled-out name) anywhere. */
  hasSkill(skill: string): boolean {
    let found = this.skillFound.get(skill);
    if (found === undefined) {
      found = namesOf(skill).some((s) => this.resumeSkills.has(s) || this.resumeNames(s));
      this.skillFound.set(skill, found);
    }
    return found;
  }

  /** The lines naming a skill by any of its names, as written or by its stems. */
  linesNaming(skill: string): ReadonlySet<number> {
    let at = this.namedBy.get(skill);
    if (!at) {
      at = new Set<number>();
      for (const name of namesOf(skill)) {
        if (name === '') this.lines.forEach((_, i) => at!.add(i));
        else for (const i of this.linesContaining(name)) at.add(i);
        for (const i of this.linesPhrasing(name)) at.add(i);
      }
      this.namedBy.set(skill, at);
    }
    return at;
  }
}

/** Every substring of each line that SHORT_NAME accepts → the lines holding it, in order. */
function substringIndex(lines: string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  lines.forEach((line, i) => {
    for (let start = 0; start < line.length - 1; start++) {
      for (let len = 1; len <= 6 && start + len <= line.length; len++) {
        if (!NAME_CHAR.test(line[start + len - 1]!)) break;
        if (len < 2) continue;
        const key = line.slice(start, start + len);
        const at = index.get(key);
        if (!at) index.set(key, [i]);
        else if (at[at.length - 1] !== i) at.push(i);
      }
    }
  });
  return index;
}

/** Lines joined by "\n" (which no skill name contains), noting where each starts. */
function joinLines(lines: string[], starts: number[]): string {
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  return lines.join('\n');
}

/** The line holding character `i` of a joined text, by binary search over the line starts. */
function lineAt(starts: number[], i: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Matches each requirement against the resume: a requirement is met when the resume covers
 * its named skills (or, without skills, most of its content words), partial when it covers
 * some. Evidence is the line covering most of the requirement, rarer and longer words weighing
 * more ("registered nurse" beats "nurse"). Deterministic: same inputs, same answer, whatever
 * provider drafts the documents.
 */
export function matchResume(posting: PostingAnalysis, resume: string): MatchAnalysis {
  const index = new ResumeIndex(resume);
  const { lines } = index;
  // Per-line tallies shared by all requirements; each resets the lines it touched.
  const termWeight = new Float64Array(lines.length);
  const skillCount = new Int32Array(lines.length);
  const seen = new Uint8Array(lines.length);
  const requirements = posting.requirements.map((req): RequirementMatch => {
    const skills = skillsIn(req.text);
    const terms = [
      ...new Set(
        words(req.text)
          .filter((w) => !/^\d/.test(w))
          .map(stem),
      ),
    ];
    const skillHits = skills.filter((s) => index.hasSkill(s));
    const termHits = terms.filter((t) => index.hasStem(t));
    const coverage =
      skills.length > 0
        ? skillHits.length / skills.length
        : terms.length > 0
          ? termHits.length / terms.length
          : 0;
    // Without named skills, one shared word of many ("business" in a long sentence about
    // urgency) is chance, not a partial match.
    const partialAt = skills.length > 0 ? Number.EPSILON : 0.25;
    const termCoverage = terms.length > 0 ? termHits.length / terms.length : 0;
    // A long requirement is not met by one skill word in it: "a graduate degree in English
    // literature" is not met by "English (fluent)".
    const thin = skills.length > 0 && terms.length >= 5 && termCoverage < 0.34;
    const status = coverage >= 0.6 && !thin ? 'met' : coverage >= partialAt ? 'partial' : 'missing';
    // Each line's hits: the weights of the terms it holds, added in the terms' order, then two
    // for each skill it names. Only lines holding a term or naming a skill are visited.
    const touched: number[] = [];
    const touch = (i: number) => {
      if (seen[i]) return;
      seen[i] = 1;
      touched.push(i);
    };
    for (const t of terms) {
      const w = index.weightOf(t);
      for (const i of index.linesWith(t)) {
        touch(i);
        termWeight[i]! += w;
      }
    }
    for (const skill of skills) {
      for (const i of index.linesNaming(skill)) {
        touch(i);
        skillCount[i]! += 1;
      }
    }
    // The two best lines (most hits, then earliest): all the evidence a requirement quotes.
    const best: { i: number; hits: number }[] = [];
    for (const i of touched) {
      const hits = termWeight[i]! + 2 * skillCount[i]!;
      termWeight[i] = 0;
      skillCount[i] = 0;
      seen[i] = 0;
      if (!(hits > 0)) continue;
      const at = best.findIndex((b) => hits > b.hits || (hits === b.hits && i < b.i));
      if (at >= 0) best.splice(at, 0, { i, hits });
      else best.push({ i, hits });
      if (best.length > 2) best.pop();
    }
    return {
      ...req,
      status: status === 'missing' || best.length > 0 ? status : 'missing',
      evidence: status === 'missing' ? [] : best.map((b) => lines[b.i]!),
    };
  });
  const weight = (r: RequirementMatch) => (r.importance === 'must' ? 2 : 1);
  const total = requirements.reduce((n, r) => n + weight(r), 0);
  const earned = requirements.reduce(
    (n, r) => n + weight(r) * (r.status === 'met' ? 1 : r.status === 'partial' ? 0.5 : 0),
    0,
  );
  return {
    score: total === 0 ? 0 : Math.round((100 * earned) / total),
    requirements,
    missingKeywords: posting.skills.filter((s) => !index.hasSkill(s)),
  };
}

/**
 * What each stem of a posting is worth to a resume line: half a requirement's weight for each
 * requirement holding it, a quarter for each responsibility. Read once per posting (it was read
 * again for every line of the resume). Every term is a multiple of 0.25, so the sums are exact
 * in any order.
 */
const stemWorth = new WeakMap<PostingAnalysis, Map<string, number>>();
function worthOf(posting: PostingAnalysis): Map<string, number> {
  let worth = stemWorth.get(posting);
  if (!worth) {
    const w = new Map<string, number>();
    const add = (t: string, n: number) => w.set(t, (w.get(t) ?? 0) + n);
    for (const r of posting.requirements) {
      const weight = r.importance === 'must' ? 2 : 1;
      for (const t of new Set(words(r.text).map(stem))) add(t, weight * 0.5);
    }
    for (const r of posting.responsibilities)
      for (const t of new Set(words(r).map(stem))) add(t, 0.25);
    stemWorth.set(posting, w);
    worth = w;
  }
  return worth;
}

/** How strongly a resume line speaks to the posting: its overlap with the requirements. */
export function relevance(line: string, posting: PostingAnalysis): number {
  const lower = line.toLowerCase();
  let score = 0;
  for (const s of posting.skills) if (lower.includes(s)) score += 3;
  const worth = worthOf(posting);
  for (const t of stems(line)) score += worth.get(t) ?? 0;
  return score;
}
