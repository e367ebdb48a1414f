import { skillsIn } from '../llm/offline/posting.ts';
import { cleanText, stem, stripMarkdown, words } from '../llm/offline/text.ts';
import { TokenRuns } from '../llm/offline/token-runs.ts';

export type GroundingKind = 'skill' | 'name' | 'number' | 'date' | 'wording';

export interface UngroundedLine {
  /** The tailored resume's line, as written (markdown bullets stripped). */
  text: string;
  /** What in it the source resume does not support. */
  reasons: { kind: GroundingKind; text: string }[];
}

export interface GroundingReport {
  grounded: boolean;
  ungrounded: UngroundedLine[];
}

/** Lower case, accents and punctuation folded: "Led a team (5)." and "led a team 5" compare equal. */
const normalise = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#%]+/gu, ' ')
    .trim();

/** Numbers as written, thousands separators dropped: "4,000" and "4000" are the same claim. */
const numbersIn = (s: string) =>
  (s.match(/\d[\d,.]*\d|\d/g) ?? []).map((n) => n.replace(/,(?=\d{3}\b)/g, ''));

/** Runs of capitalised words: employers, titles, degrees, places, and acronyms. */
const namesIn = (s: string) =>
  (s.match(/\p{Lu}[\p{L}\p{N}&'.-]*(?:\s+(?:of\s+|&\s+)?\p{Lu}[\p{L}\p{N}&'.-]*)*/gu) ?? []).map(
    trimPunctuationEnd,
  );

/** Trailing dots, apostrophes and hyphens cut off ("Acme Inc." → "Acme Inc"), in one pass. */
function trimPunctuationEnd(name: string): string {
  let end = name.length;
  while (end > 0 && ".'-".includes(name[end - 1]!)) end--;
  return name.slice(0, end);
}

/** Every non-empty line, headings included: "### Employer — Title (dates)" carries claims too. */
const linesOf = (text: string) =>
  cleanText(text)
    .split('\n')
    .map(stripMarkdown)
    .filter((l) => normalise(l).length > 0);

/**
 * The parts of a capitalised run the source does not contain: "Senior Globex Engineer" → "Globex"
 * when the source has "Senior" and "Engineer". Skills are judged on their own; connectors ("of",
 * "&") stay inside a part only between two unknown words.
 */
function novelParts(name: string, known: Set<string>, skills: string[]): string[] {
  const tokens = name.split(/\s+/).filter(Boolean);
  const isNew = (t: string) => {
    const n = normalise(t);
    return n !== '' && !known.has(n) && !skills.includes(n) && !/^\d/.test(n);
  };
  const parts: string[] = [];
  let run: string[] = [];
  tokens.forEach((t, i) => {
    const connector = /^(of|&)$/.test(t) && run.length > 0 && isNew(tokens[i + 1] ?? '');
    if (isNew(t) || connector) return void run.push(t);
    if (run.length > 0) parts.push(run.join(' '));
    run = [];
  });
  if (run.length > 0) parts.push(run.join(' '));
  return parts;
}

/** A novel-word share above this, with at least this many novel words, is new wording. */
const MAX_NOVEL_SHARE = 0.5;
const MIN_NOVEL_WORDS = 3;

/**
 * Every line of a tailored resume must be traceable to the source resume. A line found in the
 * source (normalised, anywhere, so reordering and reselection are fine) is grounded; any other
 * line is checked claim by claim: each skill, capitalised name (employer, title, degree), number
 * and year must occur in the source, and most of its content words must too. Deterministic and
 * provider-independent: the same check runs on the offline engine's drafts and a model's.
 */
export function checkGrounding(tailored: string, source: string): GroundingReport {
  // Line by line, so that a tailored line never matches across two source lines.
  const sourceText = ` ${linesOf(source).map(normalise).join(' | ')} `;
  const tokens = sourceText.split(' ').filter(Boolean);
  const sourceTokens = new Set(tokens);
  // " | " between lines is a token no normalised line holds, so no run crosses two lines.
  const sourceRuns = new TokenRuns(tokens);
  const sourceStems = new Set(words(source).map(stem));
  const sourceSkills = new Set(skillsIn(source));
  const sourceNumbers = new Set(numbersIn(source));
  const ungrounded: UngroundedLine[] = [];
  for (const line of linesOf(tailored)) {
    const norm = normalise(line);
    if (!norm || sourceRuns.has(norm.split(' '))) continue;
    const reasons: UngroundedLine['reasons'] = [];
    const seen = new Set<string>();
    const add = (kind: GroundingKind, text: string) => {
      if (seen.has(`${kind}:${text}`)) return;
      seen.add(`${kind}:${text}`);
      reasons.push({ kind, text });
    };
    const skills = skillsIn(line);
    for (const skill of skills) if (!sourceSkills.has(skill)) add('skill', skill);
    for (const n of numbersIn(line)) {
      if (!sourceNumbers.has(n)) add(/^(19|20)\d\d$/.test(n) ? 'date' : 'number', n);
    }
    for (const name of namesIn(line)) {
      for (const part of novelParts(name, sourceTokens, skills)) {
        // A lone capitalised first word is usually just the start of a sentence ("Spearheaded
        // …"): the wording check below judges it, so it is not reported as a name.
        if (!part.includes(' ') && line.trimStart().startsWith(part)) continue;
        add('name', part);
      }
    }
    const lineStems = [...new Set(words(line).map(stem))];
    const novel = lineStems.filter((s) => !sourceStems.has(s));
    // New wording is what is left when no single claim explains why the line is not in the source.
    const mostlyNew =
      novel.length >= MIN_NOVEL_WORDS && novel.length / lineStems.length > MAX_NOVEL_SHARE;
    if (reasons.length === 0 && mostlyNew) {
      add('wording', novel.join(', '));
    }
    if (reasons.length > 0) ungrounded.push({ text: line, reasons });
  }
  return { grounded: ungrounded.length === 0, ungrounded };
}

/** The report as a flat list of claims, each with its line: what a document version stores. */
export function ungroundedClaims(
  report: GroundingReport,
): { text: string; kind: GroundingKind; line: string }[] {
  return report.ungrounded.flatMap((u) =>
    u.reasons.map((r) => ({ text: r.text, kind: r.kind, line: u.text })),
  );
}
