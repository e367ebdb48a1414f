/**
 * schema.org JobPosting objects from the JSON-LD blocks of a page. Job boards write JSON-LD by
 * hand or by template, so the parser forgives what they get wrong (raw newlines and tabs inside
 * strings, HTML comment or CDATA wrappers, trailing commas) and the walker finds postings wherever
 * they sit: top level, arrays, `@graph`, or nested under another entity.
 */

export type JsonObject = Record<string, unknown>;

const MAX_DEPTH = 12;

/** JSON.parse, then once more after repairing the usual template mistakes; undefined if hopeless. */
export function parseLenientJson(raw: string): unknown {
  const text = unwrapCdata(raw.trim().replace(/^<!--|-->$/g, '')).trim();
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(repair(text));
    } catch {
      return undefined;
    }
  }
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/**
 * A `<![CDATA[` … `]]>` wrapper (each end optionally behind `//`) removed, as
 * `/^\s*(\/\/)?\s*<!\[CDATA\[|(\/\/)?\s*\]\]>\s*$/g` would. That regex tried its second half
 * from every blank of a long run of spaces inside the JSON: quadratic.
 */
function unwrapCdata(text: string): string {
  let start = 0;
  let i = 0;
  while (isSpace(text[i])) i++;
  if (text.startsWith('//', i)) for (i += 2; isSpace(text[i]);) i++;
  if (text.startsWith('<![CDATA[', i)) start = i + '<![CDATA['.length;
  let end = text.length;
  while (end > start && isSpace(text[end - 1])) end--;
  if (end - 3 >= start && text.startsWith(']]>', end - 3)) {
    end -= 3;
    while (end > start && isSpace(text[end - 1])) end--;
    if (end - 2 >= start && text.startsWith('//', end - 2)) end -= 2;
  } else end = text.length;
  return text.slice(start, end);
}

/** Escapes control characters inside strings and drops trailing commas outside them. */
function repair(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      else if (ch < ' ') {
        out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
        continue;
      }
      out += ch;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',' && /^\s*[}\]]/.test(text.slice(i + 1, i + 200))) continue;
    out += ch;
  }
  return out;
}

// What templates print for a field they have no value for.
const PLACEHOLDER = /^\s*(-+|n\/?a|none|null|undefined|unavailable|not specified)\s*$/i;

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when @type names JobPosting, as a string or among an array, with or without a prefix. */
export function isJobPosting(node: JsonObject): boolean {
  const types = [node['@type']].flat();
  return types.some((t) => typeof t === 'string' && /(^|[/:#])JobPosting$/.test(t.trim()));
}

/** Every JobPosting in a parsed JSON-LD value, in document order, without duplicates. */
export function findJobPostings(value: unknown): JsonObject[] {
  const found: JsonObject[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number) => {
    if (depth > MAX_DEPTH || seen.has(v)) return;
    if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
      return;
    }
    if (!isObject(v)) return;
    seen.add(v);
    if (isJobPosting(v)) {
      found.push(v);
      return;
    }
    for (const child of Object.values(v)) walk(child, depth + 1);
  };
  walk(value, 0);
  return found;
}

/** The first usable string of a schema.org value that may be a string, an object or an array. */
export function textOf(v: unknown, ...keys: string[]): string | undefined {
  for (const item of [v].flat()) {
    if (typeof item === 'string' && item.trim() && !PLACEHOLDER.test(item)) return item.trim();
    if (typeof item === 'number') return String(item);
    if (isObject(item)) {
      for (const k of keys.length > 0 ? keys : ['name']) {
        const inner = textOf(item[k]);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** "Berlin, BE, DE" for each place; a remote posting says so, with where applicants may live. */
export function locationOf(posting: JsonObject): string | undefined {
  const places: string[] = [];
  for (const place of [posting.jobLocation].flat()) {
    if (typeof place === 'string') {
      places.push(place.trim());
      continue;
    }
    if (!isObject(place)) continue;
    const address = place.address;
    if (typeof address === 'string') {
      places.push(address.trim());
      continue;
    }
    if (!isObject(address)) {
      const name = textOf(place.name);
      if (name) places.push(name);
      continue;
    }
    const parts = [
      textOf(address.addressLocality),
      textOf(address.addressRegion),
      textOf(address.addressCountry, 'name', 'identifier'),
    ].filter((p): p is string => Boolean(p));
    if (parts.length > 0) places.push([...new Set(parts)].join(', '));
  }
  const remote = [posting.jobLocationType]
    .flat()
    .some((t) => typeof t === 'string' && /telecommute|remote/i.test(t));
  const where = [posting.applicantLocationRequirements]
    .flat()
    .map((r) => textOf(r, 'name'))
    .filter((r): r is string => Boolean(r));
  const remoteText = remote ? `Remote${where.length > 0 ? ` (${where.join(', ')})` : ''}` : '';
  const all = [...new Set(places.filter(Boolean))];
  if (remoteText) all.push(remoteText);
  return all.length > 0 ? all.join('; ') : undefined;
}

const EMPLOYMENT_TYPES: Record<string, string> = {
  FULL_TIME: 'Full-time',
  PART_TIME: 'Part-time',
  CONTRACTOR: 'Contract',
  TEMPORARY: 'Temporary',
  INTERN: 'Internship',
  VOLUNTEER: 'Volunteer',
  PER_DIEM: 'Per diem',
  OTHER: 'Other',
};

export function employmentTypeOf(posting: JsonObject): string | undefined {
  const types = [posting.employmentType]
    .flat()
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '' && !PLACEHOLDER.test(t))
    .map((t) => EMPLOYMENT_TYPES[t.trim().toUpperCase().replace(/[\s-]/g, '_')] ?? t.trim());
  return types.length > 0 ? [...new Set(types)].join(', ') : undefined;
}

const UNITS: Record<string, string> = {
  HOUR: 'per hour',
  DAY: 'per day',
  WEEK: 'per week',
  MONTH: 'per month',
  YEAR: 'per year',
};

/** "USD 120,000–150,000 per year" from a MonetaryAmount (or a bare number or string). */
export function salaryOf(posting: JsonObject): string | undefined {
  const salary = [posting.baseSalary ?? posting.estimatedSalary].flat()[0];
  if (typeof salary === 'number' || typeof salary === 'string') return String(salary).trim();
  if (!isObject(salary)) return undefined;
  const currency = textOf(salary.currency) ?? '';
  const value = salary.value;
  // 0 is what templates print for "not disclosed".
  const n = (x: unknown) =>
    (typeof x === 'number' || (typeof x === 'string' && x.trim() !== '')) && Number(x) > 0
      ? Number(x).toLocaleString('en-US')
      : undefined;
  let amount: string | undefined;
  let unit: string | undefined;
  if (isObject(value)) {
    const [min, max, exact] = [n(value.minValue), n(value.maxValue), n(value.value)];
    amount = min && max && min !== max ? `${min}–${max}` : (exact ?? min ?? max);
    unit = textOf(value.unitText);
  } else {
    amount = n(value);
    unit = textOf(salary.unitText);
  }
  if (!amount) return undefined;
  const per = unit ? (UNITS[unit.toUpperCase()] ?? `per ${unit.toLowerCase()}`) : undefined;
  return [currency, amount, per].filter(Boolean).join(' ');
}

/** An ISO date (YYYY-MM-DD) or date-time as given; anything unparseable is dropped. */
export function dateOf(v: unknown): string | undefined {
  const s = textOf(v);
  if (!s || Number.isNaN(Date.parse(s))) return undefined;
  return s;
}
