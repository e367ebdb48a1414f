import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { ImportedPosting } from '../../contracts/imports.ts';
import { decodeEncodedHtml, htmlToMarkdown, plainText, tidy } from './html-to-markdown.ts';
import {
  dateOf,
  employmentTypeOf,
  findJobPostings,
  locationOf,
  parseLenientJson,
  salaryOf,
  textOf,
  type JsonObject,
} from './json-ld.ts';

export type ExtractionSource = 'json-ld' | 'meta' | 'readable';

export interface Extraction {
  source: ExtractionSource;
  postings: ImportedPosting[];
}

type Doc = ReturnType<typeof parseHTML>['document'];

// The limits of an application's fields: a draft the user confirms unchanged must be accepted.
const LIMITS = { company_name: 200, role_title: 200, location: 200, job_description: 100_000 };
const clip = (s: string | undefined, max: number) =>
  s === undefined ? undefined : [...s].slice(0, max).join('').trim();

/**
 * What a page says about the job: schema.org JobPosting JSON-LD first (every posting on the
 * page), else OpenGraph and other meta tags for the title and company with the page's readable
 * main text as the description. Fields JSON-LD leaves out are filled from the meta tags.
 */
export function extractPostings(html: string, pageUrl: string | undefined): Extraction {
  const document = parseDocument(html);
  const meta = metaHints(document);
  const fromJsonLd = jsonLdPostings(document).map((p) => fromSchemaOrg(p, document, meta, pageUrl));
  if (fromJsonLd.length > 0) return { source: 'json-ld', postings: fromJsonLd };
  const readable = boardDescription(document) ?? readableText(document);
  const description =
    meta.description && meta.description.length > (readable?.length ?? 0)
      ? meta.description
      : readable;
  const title = pageTitle(document, meta);
  // Without structured data, a page is a posting only if it has a description worth keeping.
  if (!title.role || !description || description.length < 50) {
    return { source: 'meta', postings: [] };
  }
  return {
    source: readable ? 'readable' : 'meta',
    postings: [
      finish({
        role_title: title.role,
        company_name: employerOf(document, meta, title),
        location: title.location,
        job_description: withoutLeadingLabels(description, [title.role, meta.siteName]),
        job_url: meta.url ?? pageUrl,
      }),
    ],
  };
}

/** linkedom builds no document element from a fragment (the bookmarklet may send one): wrap it. */
function parseDocument(html: string): Doc {
  const { document } = parseHTML(
    /<html[\s>]/i.test(html)
      ? html
      : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`,
  );
  return document;
}

function jsonLdPostings(document: Doc): JsonObject[] {
  const scripts = [...document.querySelectorAll('script')].filter((s) =>
    /^application\/ld\+json\b/i.test((s.getAttribute('type') ?? '').trim()),
  );
  return scripts.flatMap((s) => findJobPostings(parseLenientJson(s.textContent ?? '')));
}

interface MetaHints {
  title?: string;
  siteName?: string;
  description?: string;
  url?: string;
}

function metaHints(document: Doc): MetaHints {
  const content = (...names: string[]) => {
    for (const name of names) {
      const el =
        document.querySelector(`meta[property="${name}"]`) ??
        document.querySelector(`meta[name="${name}"]`);
      const value = el?.getAttribute('content')?.trim();
      if (value) return plainText(value);
    }
    return undefined;
  };
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href');
  return {
    title:
      content('og:title', 'twitter:title') ??
      (plainText(document.querySelector('title')?.textContent ?? '') || undefined),
    siteName: content('og:site_name', 'application-name'),
    description: content('og:description', 'description', 'twitter:description'),
    url: content('og:url') ?? canonical ?? undefined,
  };
}

function fromSchemaOrg(p: JsonObject, document: Doc, meta: MetaHints, pageUrl: string | undefined) {
  const description = textOf(p.description);
  const details = {
    employment_type: employmentTypeOf(p),
    salary: salaryOf(p),
    date_posted: dateOf(p.datePosted),
    valid_through: dateOf(p.validThrough),
  };
  const title = pageTitle(document, meta);
  const hiring = plainText(textOf(p.hiringOrganization, 'name', 'legalName') ?? '');
  return finish({
    role_title: plainText(textOf(p.title, 'name') ?? textOf(p.name) ?? '') || title.role,
    company_name: hiring && !isJobBoard(hiring) ? hiring : employerOf(document, meta, title),
    location: locationOf(p),
    job_description: description
      ? htmlToMarkdown(decodeEncodedHtml(description))
      : meta.description,
    job_url: textOf(p.url) ?? pageUrl ?? meta.url,
    ...details,
  });
}

function finish(f: Partial<Record<keyof ImportedPosting, string | undefined>>): ImportedPosting {
  const url =
    f.job_url && /^https?:\/\/\S+$/i.test(f.job_url) && f.job_url.length <= 2048 ? f.job_url : null;
  const facts = [
    f.employment_type && `Employment type: ${f.employment_type}`,
    f.salary && `Salary: ${f.salary}`,
    f.date_posted && `Posted: ${f.date_posted}`,
    f.valid_through && `Apply by: ${f.valid_through}`,
  ].filter(Boolean);
  return {
    company_name: clip(f.company_name, LIMITS.company_name) ?? '',
    role_title: clip(f.role_title, LIMITS.role_title) ?? '',
    job_description: clip(f.job_description, LIMITS.job_description) ?? '',
    job_url: url,
    location: clip(f.location, LIMITS.location) || null,
    employment_type: f.employment_type ?? null,
    salary: f.salary ?? null,
    date_posted: f.date_posted ?? null,
    valid_through: f.valid_through ?? null,
    notes: facts.join('\n'),
  };
}

// Where boards render the description when a page has no JSON-LD (logged-in LinkedIn, Workday,
// Greenhouse's newer boards, Lever): more precise than Readability, which also takes the header.
const DESCRIPTION_SELECTORS = [
  '.show-more-less-html__markup',
  '.jobs-description__content',
  '#job-details',
  '[data-automation-id="jobPostingDescription"]',
  '.job__description',
  '[itemprop="description"]',
];

function boardDescription(document: Doc): string | undefined {
  for (const selector of DESCRIPTION_SELECTORS) {
    const el = document.querySelector(selector);
    const markdown = el ? htmlToMarkdown(el.innerHTML) : '';
    if (markdown.length >= 50) return markdown;
  }
  return undefined;
}

/** Readability's main text as Markdown, or undefined when the page has none worth keeping. */
function readableText(document: Doc): string | undefined {
  // Readability mutates the document it reads: give it a copy.
  const copy = document.cloneNode(true) as unknown as ConstructorParameters<typeof Readability>[0];
  withoutApplicationForms(copy);
  const article = new Readability(copy, { charThreshold: 200 }).parse();
  const markdown = article?.content ? htmlToMarkdown(article.content) : '';
  return markdown.length >= 50 ? tidy(markdown) : undefined;
}

/**
 * Removes the application forms of a page (a file input for the CV): on an "apply" page the form
 * is most of the text, and Readability would take its labels for the description (the meta
 * description is then the better one). A form that holds the page's headings stays: some sites
 * (ASP.NET) wrap the whole page, posting included, in one form.
 */
function withoutApplicationForms(document: Doc): void {
  for (const form of [...document.querySelectorAll('form')]) {
    if (form.querySelector('input[type="file"]') && !form.querySelector('h1, h2')) form.remove();
  }
}

// Where pages print the job title as a heading; a page's first <h1> is often the site's name or
// a section label instead ("Careers", "Job offer").
const TITLE_SELECTORS = [
  '[data-automation="job-detail-title"]',
  '[itemprop="title"]',
  '.posting-headline h2',
  '.top-card-layout__title',
  '.job-title',
  '.app-title',
];

/** Headings that may be the job title, most specific first, without duplicates. */
function titleHeadings(document: Doc): string[] {
  const found = [
    ...TITLE_SELECTORS.map((sel) => document.querySelector(sel)),
    ...document.querySelectorAll('h1'),
    ...[...document.querySelectorAll('h2')].slice(0, 3),
  ]
    .map((el) => (el ? plainText(el.textContent ?? '') : ''))
    .filter((t) => t.length > 0 && t.length <= 200);
  return [...new Set(found)];
}

// Section labels a site prints above a posting (English, German, French, Czech, Spanish).
const GENERIC_LABEL =
  /^(careers?|jobs?|job (offer|opening|details?|description)|open (positions|roles)|stellenangebot|offre d'emploi|pracovní nabídka|oferta de (trabajo|empleo))$/i;

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Role, company and location from the page title, checked against what the page shows: boards
 * disagree on the order ("Role – Company" on most, "Company - Role" on Lever), and a page whose
 * title is only the site's name has the job title in a heading.
 */
function pageTitle(
  document: Doc,
  meta: MetaHints,
): { role?: string; company?: string; location?: string } {
  const headings = titleHeadings(document).filter(
    (h) => !GENERIC_LABEL.test(h) && (!meta.siteName || fold(h) !== fold(meta.siteName)),
  );
  const raw = meta.title ?? '';
  const siteOnly =
    raw === '' ||
    GENERIC_LABEL.test(raw) ||
    // "Acme Careers", "Jobs at Acme": the site, with no job in it.
    /^([^|–—-]+ (careers?|jobs)|(careers?|jobs) at [^|–—-]+)$/i.test(raw) ||
    (meta.siteName !== undefined && fold(raw) === fold(meta.siteName));
  if (siteOnly) return headings[0] ? { role: headings[0] } : {};
  const title = splitTitle(raw);
  if (title.role && title.company && !/ hiring /i.test(raw)) {
    const shown = new Set(headings.map(fold));
    const reversed =
      (shown.has(fold(title.company)) && !shown.has(fold(title.role))) ||
      (meta.siteName !== undefined && fold(meta.siteName) === fold(title.role)) ||
      (looksLikeRole(title.company) && !looksLikeRole(title.role));
    if (reversed) return { ...title, role: title.company, company: title.role };
  }
  return title;
}

// Words that end or fill job titles far more often than company names.
const ROLE_WORDS =
  /\b(engineer|developer|programmer|manager|designer|analyst|scientist|architect|administrator|intern|director|lead|specialist|consultant|officer|coordinator|assistant|associate|representative|technician|nurse|teacher|accountant|writer|editor|recruiter|sourcer|head of|vp|vice president|executive|operator|driver|electrician)s?\b/i;
const COMPANY_SUFFIX =
  /\b(inc|ltd|llc|gmbh|ag|s\.?r\.?o|a\.?s|s\.?a|plc|corp|co|limited|bv|oy|ab|pty)\.?$/i;

const looksLikeRole = (s: string) => ROLE_WORDS.test(s) && !COMPANY_SUFFIX.test(s.trim());

// Aggregator boards and applicant tracking systems: their name is the site, never the employer.
const JOB_BOARDS =
  /\b(linkedin|indeed|glassdoor|seek|jobs\.cz|prace\.cz|jobsdb|stepstone|monster|totaljobs|reed\.co\.uk|xing|ziprecruiter|dice|simplyhired|careerbuilder|jooble|adzuna|naukri|hh\.ru|headhunter|workday|greenhouse|lever|ashby|smartrecruiters|jobvite|teamio|welcome to the jungle|wellfound|otta|remote ?ok|we ?work ?remotely|stack ?overflow|built ?in|startup\.jobs|arbeitnow|infojobs|pracuj|profesia|jobindex|finn\.no)\b/i;

/** A board's name, or a domain name ("Jobs.cz"): the site that shows the posting, not its employer. */
export function isJobBoard(name: string): boolean {
  return JOB_BOARDS.test(name) || /^[\w-]+(\.[a-z]{2,})+$/i.test(name.trim());
}

// A word the title split can leave where the company was: "Engineer | Remote | Australia".
const NOT_A_COMPANY =
  /^(remote|hybrid|on-?site|full[- ]time|part[- ]time|contract|temporary|internship)$/i;

// Where boards print the employer in the page itself.
const EMPLOYER_SELECTORS = [
  '[itemprop="hiringOrganization"] [itemprop="name"]',
  '[itemprop="hiringOrganization"]',
  '[data-automation="advertiser-name"]',
  '.topcard__org-name-link',
  '[data-testid="company-name"]',
  '.company-name',
];

/**
 * The employer: marked up in the page, else the site's name when the site is not a job board,
 * else the title's company part. Empty rather than the board's name: an application "at SEEK"
 * would be wrong in every document drafted from it.
 */
function employerOf(document: Doc, meta: MetaHints, title: { company?: string }): string {
  const usable = (s: string | undefined) =>
    s && !isJobBoard(s) && !NOT_A_COMPANY.test(s) && s.length <= 200 ? s : undefined;
  for (const selector of EMPLOYER_SELECTORS) {
    const el = document.querySelector(selector);
    const text = el ? plainText(el.textContent ?? '').replace(/^at\s+/i, '') : '';
    if (usable(text)) return text;
  }
  return usable(meta.siteName) ?? usable(title.company) ?? '';
}

/** Drops what Readability keeps above a description: the role again, the site's name, a label. */
function withoutLeadingLabels(markdown: string, repeats: (string | undefined)[]): string {
  const known = new Set(repeats.filter((r): r is string => !!r).map(fold));
  const blocks = markdown.split(/\n{2,}/);
  let skip = 0;
  while (skip < blocks.length - 1) {
    const text = fold(blocks[skip]!.replace(/^#+\s*|[*_]/g, ''));
    if (text.length > 80 || !(known.has(text) || GENERIC_LABEL.test(text))) break;
    skip += 1;
  }
  return blocks.slice(skip).join('\n\n');
}

/**
 * Splits the page titles job boards use: "Acme hiring Engineer in Berlin | LinkedIn",
 * "Engineer at Acme", "Engineer - Acme - Careers".
 */
export function splitTitle(title: string): { role?: string; company?: string; location?: string } {
  const t = title
    .replace(/(?<!\s)\s*[|–—-]\s*(LinkedIn|Indeed|Glassdoor|SEEK|Careers?|Jobs?)\s*$/i, '')
    .trim();
  const hiring = /^(.+?) hiring (.+?)(?: in (.+))?$/i.exec(t);
  if (hiring) return { company: hiring[1], role: hiring[2], location: hiring[3] };
  const at = /^(?:Job Application for )?(.+?) at (.+)$/i.exec(t);
  if (at) return { role: at[1], company: at[2] };
  const parts = t.split(/(?<!\s)\s+[|–—-]\s+/);
  if (parts.length >= 2) return { role: parts[0], company: parts[1] };
  return t ? { role: t } : {};
}
