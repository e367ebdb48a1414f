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

/** The resume's meaningful lines: headings and blank lines dropped, bullets unwrapped. */
export function resumeLines(resume: string): string[] {
  return cleanText(resume)
    .split('\n')
    .filter((l) => l.trim() && !/^#+\s/.test(l))
    .map(stripMarkdown)
    .filter((l) => words(l).length > 0);
}

/**
 * Matches each requirement against the resume: a requirement is met when the resume covers
 * its named skills (or, without skills, most of its content words), partial when it covers
 * some. Deterministic: same inputs, same answer, whatever provider drafts the documents.
 */
export function matchResume(posting: PostingAnalysis, resume: string): MatchAnalysis {
  const lines = resumeLines(resume);
  const lineStems = lines.map((l) => stems(l));
  const resumeStems = new Set(lineStems.flatMap((s) => [...s]));
  const resumeSkills = new Set(skillsIn(resume));
  const requirements = posting.requirements.map((req): RequirementMatch => {
    const skills = skillsIn(req.text);
    const terms = [...new Set(words(req.text).map(stem))];
    const skillHits = skills.filter((s) => resumeSkills.has(s));
    const termHits = terms.filter((t) => resumeStems.has(t));
    const coverage =
      skills.length > 0
        ? skillHits.length / skills.length
        : terms.length > 0
          ? termHits.length / terms.length
          : 0;
    const status = coverage >= 0.6 ? 'met' : coverage > 0 ? 'partial' : 'missing';
    const ranked = lines
      .map((line, i) => ({
        line,
        hits:
          terms.filter((t) => lineStems[i]!.has(t)).length +
          2 * skills.filter((s) => line.toLowerCase().includes(s)).length,
      }))
      .filter((x) => x.hits > 0)
      .sort((a, b) => b.hits - a.hits);
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
    missingKeywords: posting.skills.filter((s) => !resumeSkills.has(s)),
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
