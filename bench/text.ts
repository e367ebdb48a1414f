/**
 * Reproducible, varied text for the benchmark data set: job descriptions, resumes and documents
 * built from word lists with a seeded PRNG, so every run stores (and searches) the same corpus.
 */

/** mulberry32: tiny, fast and good enough to pick words; the point is determinism. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Rng = () => number;

export const pick = <T>(rng: Rng, items: readonly T[]): T =>
  items[Math.floor(rng() * items.length)]!;
export const between = (rng: Rng, min: number, max: number): number =>
  min + Math.floor(rng() * (max - min + 1));

/** A v4-shaped UUID from the PRNG: the same ids on every run. */
export function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rng() * 4)]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * The words the search benchmark asks for, each put into a share of the job descriptions (and
 * some resumes and documents), so that queries of different selectivity hit real rows.
 */
export const SEARCH_TERMS = [
  { word: 'kubernetes', share: 0.3 },
  { word: 'payments', share: 0.15 },
  { word: 'observability', share: 0.08 },
  { word: 'terraform', share: 0.04 },
] as const;

const VOCABULARY = `team product customers platform build design deliver scale reliable services
  engineering culture growth mission impact ownership collaborate across functions data quality
  systems users experience roadmap strategy decisions mentor review code testing deploy release
  monitor improve performance security privacy compliance support operations process tooling
  automation infrastructure cloud backend frontend mobile web application interfaces integration
  partners stakeholders requirements planning estimates iterations feedback learning knowledge
  documentation standards practices architecture components modules features experiments metrics
  analysis insights reporting dashboards pipelines workflows events messages queues storage
  databases caching latency throughput availability incidents recovery resilience capacity budget
  hiring onboarding coaching leadership communication writing clarity curiosity initiative
  autonomy flexible hybrid office benefits salary equity pension holidays health wellbeing
  parental leave training conference budget equipment home working hours travel occasional
  international diverse inclusive equal opportunity employer background experience years degree
  equivalent practical proven track record strong solid hands-on deep understanding familiarity
  exposure passion attention detail problem solving pragmatic thoughtful humble ambitious fast
  paced environment startup scaleup enterprise regulated industry market leading customers
  worldwide millions transactions requests daily growing quickly series funding investors`
  .split(/\s+/)
  .filter(Boolean);

const SKILLS = [
  'TypeScript',
  'JavaScript',
  'Node.js',
  'PostgreSQL',
  'React',
  'Python',
  'Go',
  'Java',
  'Kotlin',
  'Rust',
  'AWS',
  'GCP',
  'Azure',
  'Docker',
  'Kafka',
  'Redis',
  'GraphQL',
  'gRPC',
  'Linux',
  'Spark',
  'Airflow',
  'dbt',
  'Snowflake',
  'Elasticsearch',
  'CI/CD',
  'SQL',
  'Figma',
  'Swift',
];

export const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella Labs',
  'Stark Industries',
  'Wayne Tech',
  'Hooli',
  'Pied Piper',
  'Vandelay Imports',
  'Soylent',
  'Tyrell Systems',
  'Cyberdyne',
  'Aperture Science',
  'Black Mesa',
  'Massive Dynamic',
  'Monarch Solutions',
  'Oscorp',
  'Wonka Digital',
  'Gringotts Finance',
  'Nakatomi Trading',
  'Blue Sun',
  'Dunder Mifflin',
  'Prestige Worldwide',
  'Bluth Company',
  'Sterling Cooper',
  'Los Pollos Data',
  'Krusty Cloud',
  'Vehement Capital',
  'Rekall',
  'Weyland Yutani',
];

export const ROLES = [
  'Backend Engineer',
  'Senior Backend Engineer',
  'Frontend Engineer',
  'Full Stack Developer',
  'Staff Engineer',
  'Platform Engineer',
  'Site Reliability Engineer',
  'Data Engineer',
  'Data Scientist',
  'Machine Learning Engineer',
  'Engineering Manager',
  'Product Manager',
  'Technical Lead',
  'DevOps Engineer',
  'Security Engineer',
  'Mobile Developer',
  'Solutions Architect',
  'Analytics Engineer',
];

export const LOCATIONS = [
  'Remote',
  'Remote (Europe)',
  'London',
  'Berlin',
  'Amsterdam',
  'Paris',
  'Lisbon',
  'New York',
  'San Francisco',
  'Toronto',
  'Dublin',
  'Stockholm',
];

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sentence(rng: Rng, extra: readonly string[] = []): string {
  const words = Array.from({ length: between(rng, 8, 18) }, () => pick(rng, VOCABULARY));
  for (const w of extra) words.splice(between(rng, 1, words.length), 0, w);
  return `${capitalise(words.join(' '))}.`;
}

function paragraph(rng: Rng, sentences: number, extra: readonly string[] = []): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(rng, i === 0 ? extra : []));
  return out.join(' ');
}

/** Search terms this text should contain, drawn by each term's share. */
export function termsFor(rng: Rng, scale = 1): string[] {
  return SEARCH_TERMS.filter((t) => rng() < t.share * scale).map((t) => t.word);
}

/** 1–3 KB of posting-like prose: about the company, the role, skills, then filler paragraphs. */
export function jobDescription(
  rng: Rng,
  company: string,
  role: string,
  terms: readonly string[],
): string {
  const target = between(rng, 1000, 3000);
  const skills = Array.from({ length: between(rng, 3, 7) }, () => pick(rng, SKILLS));
  const parts = [
    `About ${company}\n${paragraph(rng, 2, terms)}`,
    `The role\nAs a ${role} you will ${paragraph(rng, 2)}`,
    `What we look for\n${skills.map((s) => `- ${s}: ${sentence(rng)}`).join('\n')}`,
  ];
  let text = parts.join('\n\n');
  while (text.length < target) text += `\n${paragraph(rng, between(rng, 1, 3))}`;
  return text;
}

export function resume(rng: Rng, name: string, terms: readonly string[]): string {
  const jobs = Array.from(
    { length: between(rng, 2, 4) },
    () => `## ${pick(rng, ROLES)}, ${pick(rng, COMPANIES)}\n${paragraph(rng, between(rng, 3, 6))}`,
  );
  const skills = Array.from({ length: 8 }, () => pick(rng, SKILLS)).join(', ');
  return `# ${name}\n\n${paragraph(rng, 2, terms)}\n\n${jobs.join('\n\n')}\n\nSkills: ${skills}`;
}

export const DOCUMENT_TYPES = ['research_report', 'optimized_resume', 'cover_letter'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export function documentContent(
  rng: Rng,
  type: DocumentType,
  company: string,
  role: string,
  terms: readonly string[],
): string {
  switch (type) {
    case 'research_report':
      return [
        `# ${company}: research for the ${role} application`,
        `## Company\n${paragraph(rng, between(rng, 4, 8), terms)}`,
        `## Team and product\n${paragraph(rng, between(rng, 4, 8))}`,
        `## Questions to ask\n${Array.from({ length: 4 }, () => `- ${sentence(rng)}`).join('\n')}`,
      ].join('\n\n');
    case 'optimized_resume':
      return resume(rng, `Candidate for ${role}`, terms);
    case 'cover_letter':
      return [
        `Dear ${company} hiring team,`,
        paragraph(rng, between(rng, 3, 5), terms),
        paragraph(rng, between(rng, 3, 5)),
        'Kind regards,\nA. Candidate',
      ].join('\n\n');
  }
}
