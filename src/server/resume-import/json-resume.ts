import { z } from 'zod';
import { importErrors } from './import-errors.ts';

// The JSON Resume schema (jsonresume.org), the parts we render. Unknown keys are allowed, as the
// schema itself allows them; values of the wrong type are refused with their path.
const text = z.string().max(20_000).optional();
const list = <T extends z.ZodType>(item: T) => z.array(item).max(500).optional();
const strings = list(z.string().max(2_000));

const jsonResumeSchema = z.looseObject({
  basics: z
    .looseObject({
      name: text,
      label: text,
      email: text,
      phone: text,
      url: text,
      summary: text,
      location: z
        .looseObject({
          address: text,
          postalCode: text,
          city: text,
          countryCode: text,
          region: text,
        })
        .optional(),
      profiles: list(z.looseObject({ network: text, username: text, url: text })),
    })
    .optional(),
  work: list(
    z.looseObject({
      name: text,
      company: text,
      position: text,
      location: text,
      url: text,
      startDate: text,
      endDate: text,
      summary: text,
      highlights: strings,
    }),
  ),
  volunteer: list(
    z.looseObject({
      organization: text,
      position: text,
      url: text,
      startDate: text,
      endDate: text,
      summary: text,
      highlights: strings,
    }),
  ),
  education: list(
    z.looseObject({
      institution: text,
      url: text,
      area: text,
      studyType: text,
      startDate: text,
      endDate: text,
      score: text,
      courses: strings,
    }),
  ),
  awards: list(z.looseObject({ title: text, date: text, awarder: text, summary: text })),
  certificates: list(z.looseObject({ name: text, date: text, issuer: text, url: text })),
  publications: list(
    z.looseObject({ name: text, publisher: text, releaseDate: text, url: text, summary: text }),
  ),
  skills: list(z.looseObject({ name: text, level: text, keywords: strings })),
  languages: list(z.looseObject({ language: text, fluency: text })),
  interests: list(z.looseObject({ name: text, keywords: strings })),
  projects: list(
    z.looseObject({
      name: text,
      description: text,
      highlights: strings,
      keywords: strings,
      startDate: text,
      endDate: text,
      url: text,
      roles: strings,
      entity: text,
    }),
  ),
});
export type JsonResume = z.infer<typeof jsonResumeSchema>;

const SECTIONS = [
  'basics',
  'work',
  'volunteer',
  'education',
  'awards',
  'certificates',
  'publications',
  'skills',
  'languages',
  'interests',
  'projects',
];

/** Parses and validates a JSON Resume; a JSON file that is something else is refused. */
export function parseJsonResume(source: string): JsonResume {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw importErrors.invalidJsonResume('The file is not valid JSON.');
  }
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !SECTIONS.some((k) => k in value)
  )
    throw importErrors.invalidJsonResume(
      'The JSON is not a JSON Resume (jsonresume.org): it has none of basics, work, education, skills….',
    );
  const parsed = jsonResumeSchema.safeParse(value);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues.slice(0, 20))
      fields[issue.path.join('.') || 'resume'] ??= issue.message;
    throw importErrors.invalidJsonResume(
      'The JSON Resume has values of the wrong type; see fields.',
      fields,
    );
  }
  return parsed.data;
}

/** Text that came from JSON, safe as Markdown inline: no raw HTML, no accidental markup. */
const md = (value: string | undefined) =>
  (value ?? '')
    .replace(/\r?\n+/g, ' ')
    .replace(/([\\`*_[\]<>])/g, '\\$1')
    .trim();
/** Multi-line text (summaries): paragraphs kept. */
const paragraphs = (value: string | undefined) =>
  (value ?? '')
    .split(/\r?\n\s*\n/)
    .map((p) => md(p))
    .filter(Boolean)
    .join('\n\n');
const safeUrl = (url: string | undefined) =>
  url && /^(https?:\/\/|mailto:)/i.test(url.trim())
    ? url.trim().replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    : '';
const link = (label: string | undefined, url: string | undefined) => {
  const href = safeUrl(url);
  const text = md(label) || md(url);
  return href ? `[${text}](${href})` : text;
};
const dates = (start?: string, end?: string) => {
  if (!start && !end) return '';
  return `${md(start) || '?'} – ${md(end) || 'Present'}`;
};
const joinParts = (parts: (string | undefined)[], sep = ' · ') => parts.filter(Boolean).join(sep);
const bullets = (items: string[] | undefined) => (items ?? []).map((h) => `- ${md(h)}`).join('\n');

/** A JSON Resume as Markdown, in the schema's order of sections. */
export function jsonResumeToMarkdown(resume: JsonResume): string {
  const blocks: string[] = [];
  const b = resume.basics ?? {};
  if (b.name) blocks.push(`# ${md(b.name)}`);
  if (b.label) blocks.push(`**${md(b.label)}**`);
  const location = b.location
    ? joinParts([b.location.city, b.location.region, b.location.countryCode].map(md), ', ')
    : '';
  const contact = joinParts([
    b.email ? `[${md(b.email)}](mailto:${b.email.trim()})` : '',
    md(b.phone),
    b.url ? link(b.url, b.url) : '',
    location,
  ]);
  if (contact) blocks.push(contact);
  const profiles = (b.profiles ?? [])
    .map((p) => {
      const label = md(p.network) || md(p.username) || md(p.url);
      const linked = safeUrl(p.url) ? `[${label}](${safeUrl(p.url)})` : label;
      return p.username && p.network ? `${linked} (${md(p.username)})` : linked;
    })
    .filter(Boolean);
  if (profiles.length > 0) blocks.push(profiles.join(' · '));
  if (b.summary) blocks.push(`## Summary\n\n${paragraphs(b.summary)}`);

  const section = (title: string, entries: string[]) => {
    const body = entries.filter(Boolean);
    if (body.length > 0) blocks.push(`## ${title}\n\n${body.join('\n\n')}`);
  };
  section(
    'Experience',
    (resume.work ?? []).map((w) =>
      entry(
        joinParts([md(w.position), link(w.name ?? w.company, w.url)], ' — '),
        joinParts([dates(w.startDate, w.endDate), md(w.location)]),
        paragraphs(w.summary),
        bullets(w.highlights),
      ),
    ),
  );
  section(
    'Volunteering',
    (resume.volunteer ?? []).map((v) =>
      entry(
        joinParts([md(v.position), link(v.organization, v.url)], ' — '),
        dates(v.startDate, v.endDate),
        paragraphs(v.summary),
        bullets(v.highlights),
      ),
    ),
  );
  section(
    'Education',
    (resume.education ?? []).map((e) =>
      entry(
        joinParts(
          [joinParts([md(e.studyType), md(e.area)], ' in '), link(e.institution, e.url)],
          ' — ',
        ),
        joinParts([dates(e.startDate, e.endDate), e.score ? `Score: ${md(e.score)}` : '']),
        '',
        bullets(e.courses),
      ),
    ),
  );
  section('Skills', [
    (resume.skills ?? [])
      .map((s) => {
        const head = `**${md(s.name) || 'Skills'}**${s.level ? ` (${md(s.level)})` : ''}`;
        const keywords = (s.keywords ?? []).map(md).join(', ');
        return `- ${head}${keywords ? `: ${keywords}` : ''}`;
      })
      .join('\n'),
  ]);
  section(
    'Projects',
    (resume.projects ?? []).map((p) =>
      entry(
        link(p.name, p.url),
        joinParts([dates(p.startDate, p.endDate), (p.roles ?? []).map(md).join(', ')]),
        paragraphs(p.description),
        bullets(p.highlights),
      ),
    ),
  );
  section('Languages', [
    (resume.languages ?? [])
      .map((l) => `- ${joinParts([md(l.language), md(l.fluency)], ': ')}`)
      .join('\n'),
  ]);
  section('Certificates', [
    (resume.certificates ?? [])
      .map(
        (c) =>
          `- ${joinParts([link(c.name, c.url), joinParts([md(c.issuer), md(c.date)], ', ')], ' — ')}`,
      )
      .join('\n'),
  ]);
  section('Awards', [
    (resume.awards ?? [])
      .map((a) => {
        const head = joinParts(
          [a.title ? `**${md(a.title)}**` : '', joinParts([md(a.awarder), md(a.date)], ', ')],
          ' — ',
        );
        return `- ${head}${a.summary ? `: ${md(a.summary)}` : ''}`;
      })
      .join('\n'),
  ]);
  section('Publications', [
    (resume.publications ?? [])
      .map(
        (p) =>
          `- ${joinParts([link(p.name, p.url), joinParts([md(p.publisher), md(p.releaseDate)], ', ')], ' — ')}`,
      )
      .join('\n'),
  ]);
  section('Interests', [
    (resume.interests ?? [])
      .map(
        (i) => `- ${md(i.name)}${i.keywords?.length ? `: ${i.keywords.map(md).join(', ')}` : ''}`,
      )
      .join('\n'),
  ]);
  return blocks
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function entry(title: string, meta: string, summary: string, list: string): string {
  return [title ? `### ${title}` : '', meta ? `*${meta}*` : '', summary, list]
    .filter(Boolean)
    .join('\n\n');
}
