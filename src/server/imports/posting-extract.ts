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
  const fromJsonLd = jsonLdPostings(document).map((p) => fromSchemaOrg(p, meta, pageUrl));
  if (fromJsonLd.length > 0) return { source: 'json-ld', postings: fromJsonLd };
  const readable = boardDescription(document) ?? readableText(document);
  const description =
    meta.description && meta.description.length > (readable?.length ?? 0)
      ? meta.description
      : readable;
  const title = splitTitle(meta.title ?? readableTitle(document) ?? '');
  // Without structured data, a page is a posting only if it has a description worth keeping.
  if (!title.role || !description || description.length < 50) {
    return { source: 'meta', postings: [] };
  }
  return {
    source: readable ? 'readable' : 'meta',
    postings: [
      finish({
        role_title: title.role,
        company_name:
          meta.siteName && !/linkedin|indeed|workday/i.test(meta.siteName)
            ? meta.siteName
            : title.company,
        location: title.location,
        job_description: description,
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

function fromSchemaOrg(p: JsonObject, meta: MetaHints, pageUrl: string | undefined) {
  const description = textOf(p.description);
  const details = {
    employment_type: employmentTypeOf(p),
    salary: salaryOf(p),
    date_posted: dateOf(p.datePosted),
    valid_through: dateOf(p.validThrough),
  };
  const title = splitTitle(meta.title ?? '');
  return finish({
    role_title: plainText(textOf(p.title, 'name') ?? textOf(p.name) ?? '') || title.role,
    company_name:
      plainText(textOf(p.hiringOrganization, 'name', 'legalName') ?? '') ||
      meta.siteName ||
      title.company,
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
  const article = new Readability(copy, { charThreshold: 200 }).parse();
  const markdown = article?.content ? htmlToMarkdown(article.content) : '';
  return markdown.length >= 50 ? tidy(markdown) : undefined;
}

function readableTitle(document: Doc): string | undefined {
  const h1 = document.querySelector('h1')?.textContent;
  return h1 ? plainText(h1) : undefined;
}

/**
 * Splits the page titles job boards use: "Acme hiring Engineer in Berlin | LinkedIn",
 * "Engineer at Acme", "Engineer - Acme - Careers".
 */
export function splitTitle(title: string): { role?: string; company?: string; location?: string } {
  const t = title.replace(/\s*[|–—-]\s*(LinkedIn|Indeed|Glassdoor|Careers?|Jobs?)\s*$/i, '').trim();
  const hiring = /^(.+?) hiring (.+?)(?: in (.+))?$/i.exec(t);
  if (hiring) return { company: hiring[1], role: hiring[2], location: hiring[3] };
  const at = /^(?:Job Application for )?(.+?) at (.+)$/i.exec(t);
  if (at) return { role: at[1], company: at[2] };
  const parts = t.split(/\s+[|–—-]\s+/);
  if (parts.length >= 2) return { role: parts[0], company: parts[1] };
  return t ? { role: t } : {};
}
