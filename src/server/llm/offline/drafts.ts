import type { PostingBrief } from '../brief.ts';
import type { DraftInputs } from './inputs.ts';
import { matchResume, relevance, resumeLines, type MatchAnalysis } from './match.ts';
import { analyzePosting, type PostingAnalysis } from './posting.ts';
import { isBullet, stripMarkdown } from './text.ts';

const list = (items: string[], empty: string) =>
  items.length > 0 ? items.map((i) => `- ${i}`).join('\n') : `- ${empty}`;

const STATUS = { met: 'met', partial: 'partly met', missing: 'not found in your resume' };

/** Both analyses of one draft request; every document is drafted from these. */
export interface DraftAnalysis {
  posting: PostingAnalysis;
  match: MatchAnalysis;
}

/** Each draft below takes the job's analysis when the caller has it (one per job, not per document). */
export function analyze(inputs: DraftInputs): DraftAnalysis {
  const posting = analyzePosting(inputs.job);
  return { posting, match: matchResume(posting, inputs.resume) };
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The posting brief from the engine's own reading of the posting (the resume plays no part):
 * requirements with their weight, the skills named, and what the posting leaves unsaid.
 */
export function postingBrief(
  inputs: DraftInputs,
  p: PostingAnalysis = analyzePosting(inputs.job),
): PostingBrief {
  const questions = [
    p.salary ? undefined : 'What is the salary range for this position?',
    p.location ? undefined : 'Where is the role based, and how much remote work is possible?',
    `What would success look like for the ${p.role} after six months?`,
    'Who would I work with most closely, and how is the team organised?',
    'What does the interview process look like, and who takes part?',
  ].filter((q): q is string => q !== undefined);
  return {
    role_summary: clip(
      `${p.role} at ${p.company}${p.location ? ` (${p.location})` : ''}${p.responsibilities[0] ? `: ${p.responsibilities[0]}` : '.'}`,
      600,
    ),
    requirements: p.requirements
      .slice(0, 40)
      .map((r) => ({ text: clip(r.text, 300), importance: r.importance })),
    keywords: p.skills.slice(0, 40).map((k) => clip(k, 60)),
    open_questions: questions.map((q) => clip(q, 300)),
  };
}

/**
 * What the posting tells, how the resume meets it, and what the posting cannot tell: the
 * engine reads two texts and nothing else, so it says so instead of guessing.
 */
export function researchReport(inputs: DraftInputs, analysis = analyze(inputs)): string {
  const { posting: p, match: m } = analysis;
  const must = m.requirements.filter((r) => r.importance === 'must');
  const nice = m.requirements.filter((r) => r.importance === 'nice');
  const line = (r: MatchAnalysis['requirements'][number]) =>
    `${r.text} — ${STATUS[r.status]}${r.evidence[0] ? ` (“${r.evidence[0]}”)` : ''}`;
  const gaps = m.requirements.filter((r) => r.status !== 'met');
  const questions = [
    ...gaps.slice(0, 3).map((r) => `How central is “${r.text}” to the first months in the role?`),
    p.salary ? undefined : 'What is the salary range for this position?',
    p.location ? undefined : 'Where is the role based, and how much remote work is possible?',
    `What would success look like for the ${p.role} after six months?`,
    'Who would I work with most closely, and how is the team organised?',
    'What does the interview process look like, and who takes part?',
  ].filter((q): q is string => q !== undefined);
  return [
    `# Research report: ${p.role} at ${p.company}`,
    '',
    '## What the posting tells',
    `- Role: ${p.role}`,
    `- Company: ${p.company}`,
    `- Location: ${p.location ?? 'not stated in the posting'}`,
    `- Salary: ${p.salary ?? 'not stated in the posting'}`,
    ...(p.about.length > 0
      ? ['', '### About the company, in the posting’s words', list(p.about, '')]
      : []),
    '',
    '## Responsibilities',
    list(p.responsibilities, 'The posting lists no responsibilities separately.'),
    '',
    '## Must-have requirements',
    list(must.map(line), 'The posting states no explicit requirements.'),
    '',
    '## Nice-to-have',
    list(nice.map(line), 'None stated.'),
    '',
    '## Keywords',
    p.skills.length > 0 ? p.skills.join(', ') : 'No specific skills named.',
    '',
    '## How your resume matches',
    `Match score: ${m.score}/100 (${m.requirements.filter((r) => r.status === 'met').length} of ${m.requirements.length} requirements met).`,
    m.missingKeywords.length > 0
      ? `Keywords the posting uses that your resume does not: ${m.missingKeywords.join(', ')}.`
      : 'Your resume mentions every skill the posting names.',
    '',
    '## What this report cannot know',
    `This report was drafted offline from the posting and your resume only. It knows nothing about ${p.company}'s history, culture, finances, products beyond the posting, team or interview process: check the company's own site, recent news and people who work there.`,
    '',
    '## Questions to ask',
    list(questions, ''),
    '',
  ].join('\n');
}

/**
 * The resume, tailored only by selecting and reordering its own lines: sections ordered by
 * relevance (the header first), bullets within each run ordered by relevance, and the most
 * relevant bullets repeated under "Highlights for this role". Nothing is written that the
 * resume does not already say.
 */
export function tailoredResume(
  inputs: DraftInputs,
  posting: PostingAnalysis = analyzePosting(inputs.job),
): string {
  const raw = inputs.resume.replace(/\r\n?/g, '\n').split('\n');
  const firstSection = raw.findIndex((l, i) => i > 0 && /^##?\s/.test(l));
  const header = firstSection > 0 ? raw.slice(0, firstSection) : raw.slice(0, 1);
  const rest = firstSection > 0 ? raw.slice(firstSection) : raw.slice(1);
  const level = rest.find((l) => /^#+\s/.test(l))?.match(/^#+/)?.[0].length ?? 2;
  const sections: string[][] = [];
  const sectionHeading = new RegExp(`^#{${level}}\\s`);
  for (const line of rest) {
    if (sections.length === 0 || sectionHeading.test(line)) sections.push([]);
    sections.at(-1)!.push(line);
  }
  const score = (lines: string[]) => lines.reduce((n, l) => n + relevance(l, posting), 0);
  const ordered = sections
    .map((lines, i) => ({ lines: reorderBullets(lines, posting), score: score(lines), i }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  // Highlights come from bullets only (once per line, not once per line per line).
  const bullets = new Set(raw.filter(isBullet).map(stripMarkdown));
  const highlights = resumeLines(inputs.resume)
    .filter((l) => bullets.has(l))
    .map((l, i) => ({ l, s: relevance(l, posting), i }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 3)
    .map((x) => `- ${x.l}`);
  const out = [
    ...trimEnd(header),
    '',
    ...(highlights.length > 0
      ? [`${'#'.repeat(level)} Highlights for this role`, '', ...highlights, '']
      : []),
    ...ordered.flatMap((s) => [...trimEnd(s.lines), '']),
  ];
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

function reorderBullets(lines: string[], posting: PostingAnalysis): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const ranked = run.map((l, i) => ({ l, s: relevance(l, posting), i }));
    ranked.sort((a, b) => b.s - a.s || a.i - b.i);
    out.push(...ranked.map((x) => x.l));
    run = [];
  };
  for (const line of lines) {
    if (isBullet(line)) run.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

const trimEnd = (lines: string[]) => {
  const copy = [...lines];
  while (copy.length > 0 && !copy.at(-1)!.trim()) copy.pop();
  return copy;
};

/** The name at the top of the resume, when the first line looks like one. */
function nameOf(resume: string): string | undefined {
  const first = resume.split('\n').find((l) => l.trim());
  const name = first ? stripMarkdown(first) : '';
  return name && name.split(/\s+/).length <= 5 && !/[@:|]/.test(name) ? name : undefined;
}

/** A quoted sentence: the full stop comes after the quote unless the quote already ends one. */
const quote = (s: string) => `“${s}”${/[.!?…]$/.test(s) ? '' : '.'}`;

/** A letter built from matched evidence: each claim quotes the resume; gaps are named honestly. */
export function coverLetter(inputs: DraftInputs, analysis = analyze(inputs)): string {
  const { posting: p, match: m } = analysis;
  const met = m.requirements.filter((r) => r.status !== 'missing' && r.evidence.length > 0);
  // Met before partly met, must-haves before nice-to-haves, and each resume line quoted once:
  // the letter's three claims are its three best, not one line three times.
  const rank = (r: (typeof met)[number]) =>
    (r.status === 'met' ? 0 : 2) + (r.importance === 'must' ? 0 : 1);
  const quoted = new Set<string>();
  const strongest = [...met]
    .sort((a, b) => rank(a) - rank(b))
    .filter((r) => !quoted.has(r.evidence[0]!) && quoted.add(r.evidence[0]!))
    .slice(0, 3);
  const missing = m.requirements.filter((r) => r.importance === 'must' && r.status === 'missing');
  const name = nameOf(inputs.resume);
  const paragraphs = [
    `Dear ${p.company} hiring team,`,
    `I am applying for the ${p.role} position${p.location ? ` (${p.location})` : ''}. Below I set what you ask for next to what my resume shows.`,
    ...strongest.map(
      (r) => `You ask for: ${quote(r.text)} From my experience: ${quote(r.evidence[0]!)}`,
    ),
    ...(strongest.length === 0
      ? [
          'My resume does not match your listed requirements point by point, so I would welcome a conversation about how my experience transfers.',
        ]
      : []),
    ...(missing.length > 0
      ? [
          `I will be candid: my resume does not show ${missing
            .slice(0, 2)
            .map((r, i, all) => (i === all.length - 1 ? quote(r.text) : `“${r.text}”`))
            .join(' or ')} I would be glad to discuss how I would close that gap.`,
        ]
      : []),
    'Thank you for your time and consideration. I would welcome the chance to talk.',
    `Kind regards,${name ? `\n${name}` : ''}`,
  ];
  return `${paragraphs.join('\n\n')}\n`;
}
