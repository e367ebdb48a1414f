import type { PostingAnalysis, Requirement } from './posting.ts';
import { skillsIn } from './posting.ts';
import { cleanText, stem, stems, stripMarkdown, words } from './text.ts';

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
 * Whether a text names a skill, by its stems: "Led a team" names "leadership", "managed
 * budgets" names "budgeting". Multi-word skills must appear as a phrase.
 */
const namesSkill = (phrase: string, skill: string) => {
  const s = stemPhrase(skill);
  return s.trim() !== '' && phrase.includes(s);
};

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

/**
 * Matches each requirement against the resume: a requirement is met when the resume covers
 * its named skills (or, without skills, most of its content words), partial when it covers
 * some. Evidence is the line covering most of the requirement, rarer and longer words weighing
 * more ("registered nurse" beats "nurse"). Deterministic: same inputs, same answer, whatever
 * provider drafts the documents.
 */
export function matchResume(posting: PostingAnalysis, resume: string): MatchAnalysis {
  const lines = resumeLines(resume);
  const lineStems = lines.map((l) => stems(l));
  const linePhrases = lines.map(stemPhrase);
  const resumeStems = new Set(words(resume).map(stem));
  const resumePhrase = cleanText(resume).split('\n').map(stemPhrase).join('|');
  const resumeSkills = new Set(skillsIn(resume));
  const hasSkill = (skill: string) =>
    namesOf(skill).some((s) => resumeSkills.has(s) || namesSkill(resumePhrase, s));
  // A word found on few lines says more than one found on many; a long word more than a short one.
  const weightOf = (t: string) => {
    const df = lineStems.filter((l) => l.has(t)).length;
    return Math.log(1 + (lines.length + 1) / (df + 1)) * (t.length >= 6 ? 1.5 : 1);
  };
  const requirements = posting.requirements.map((req): RequirementMatch => {
    const skills = skillsIn(req.text);
    const terms = [
      ...new Set(
        words(req.text)
          .filter((w) => !/^\d/.test(w))
          .map(stem),
      ),
    ];
    const skillHits = skills.filter(hasSkill);
    const termHits = terms.filter((t) => resumeStems.has(t));
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
    const ranked = lines
      .map((line, i) => ({
        line,
        i,
        hits:
          terms.filter((t) => lineStems[i]!.has(t)).reduce((n, t) => n + weightOf(t), 0) +
          2 *
            skills.filter((skill) =>
              namesOf(skill).some(
                (s) => line.toLowerCase().includes(s) || namesSkill(linePhrases[i]!, s),
              ),
            ).length,
      }))
      .filter((x) => x.hits > 0)
      .sort((a, b) => b.hits - a.hits || a.i - b.i);
    return {
      ...req,
      status: status === 'missing' || ranked.length > 0 ? status : 'missing',
      evidence: status === 'missing' ? [] : ranked.slice(0, 2).map((x) => x.line),
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
    missingKeywords: posting.skills.filter((s) => !hasSkill(s)),
  };
}

/** How strongly a resume line speaks to the posting: its overlap with the requirements. */
export function relevance(line: string, posting: PostingAnalysis): number {
  const lineStems = stems(line);
  const lower = line.toLowerCase();
  let score = 0;
  for (const s of posting.skills) if (lower.includes(s)) score += 3;
  for (const r of posting.requirements) {
    const weight = r.importance === 'must' ? 2 : 1;
    for (const t of new Set(words(r.text).map(stem))) if (lineStems.has(t)) score += weight * 0.5;
  }
  for (const r of posting.responsibilities) {
    for (const t of new Set(words(r).map(stem))) if (lineStems.has(t)) score += 0.25;
  }
  return score;
}
