// Prints what job posting import extracts from each .html file in a folder, for trying the
// extractor by hand on saved pages: npm run eval -- <folder>. Reads local files only.
import fs from 'node:fs';
import path from 'node:path';
import { decodePage } from '../src/server/imports/decode-page.ts';
import { extractPostings } from '../src/server/imports/posting-extract.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run eval -- <folder of .html files>');
  process.exit(2);
}
const short = (s: string | null, n = 70) =>
  s === null ? '—' : s.length > n ? `${s.slice(0, n).replace(/\n/g, '⏎')}…` : s.replace(/\n/g, '⏎');
for (const name of fs
  .readdirSync(dir)
  .filter((f) => /\.html?$/i.test(f))
  .sort()) {
  const html = decodePage({ body: fs.readFileSync(path.join(dir, name)), charset: undefined });
  const started = performance.now();
  const { source, postings } = extractPostings(html, undefined);
  const ms = Math.round(performance.now() - started);
  console.log(`\n${name}  [${source}, ${postings.length} posting(s), ${ms} ms]`);
  for (const p of postings.slice(0, 2)) {
    console.log(`  role:        ${short(p.role_title)}`);
    console.log(`  company:     ${short(p.company_name)}`);
    console.log(`  location:    ${short(p.location)}`);
    console.log(`  type/salary: ${short(p.employment_type)} / ${short(p.salary)}`);
    console.log(`  dates:       ${short(p.date_posted)} → ${short(p.valid_through)}`);
    console.log(
      `  description: ${p.job_description.length} chars: ${short(p.job_description, 110)}`,
    );
  }
}
