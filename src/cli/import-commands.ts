import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { CreateApplication } from '../contracts/applications.ts';
import type { ImportedPosting, ImportJob } from '../contracts/imports.ts';
import { decodePage } from '../server/imports/decode-page.ts';
import {
  addTargetOptions,
  report,
  withWorkspace,
  writeOutput,
  type TargetOptions,
} from './target.ts';

interface ImportJobOptions extends TargetOptions {
  url?: string;
  save?: boolean;
  company?: string;
  role?: string;
  json?: boolean;
}

interface ImportResumeOptions extends TargetOptions {
  save?: boolean;
  name?: string;
  primary?: boolean;
  json?: boolean;
}

const isWebAddress = (s: string) => /^https?:\/\//i.test(s.trim());

async function readInputFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(path.resolve(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`No such file: ${file}.`);
    if (code === 'EISDIR') throw new Error(`${file} is a directory, not a file.`);
    throw new Error(`Cannot read ${file} (${code ?? (err as Error).message}).`);
  }
}

/** The draft as a person reads it: the fields, then the description in Markdown. */
export function formatDraft(d: ImportedPosting): string {
  const fields: [string, string | null][] = [
    ['Company', d.company_name || '(not found: give it with --company when saving)'],
    ['Role', d.role_title || '(not found: give it with --role when saving)'],
    ['Location', d.location],
    ['Employment type', d.employment_type],
    ['Salary', d.salary],
    ['Posted', d.date_posted],
    ['Apply by', d.valid_through],
    ['URL', d.job_url],
  ];
  const head = fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
  return `${head.join('\n')}\n\n${d.job_description.trim()}\n`;
}

export function registerImportCommands(program: Command): void {
  addTargetOptions(
    program
      .command('import-job')
      .argument('<url|file>', 'a job posting: its web address, or a saved HTML page')
      .option('--url <url>', 'with a file: the address the page came from')
      .option('--save', 'create the application from the draft (otherwise nothing is kept)')
      .option(
        '--company <name>',
        'with --save: the employer, when the page does not say or says wrong',
      )
      .option('--role <title>', 'with --save: the role title, instead of the one found')
      .option('--json', 'print the whole import (every posting found) as JSON')
      .option('--output <file>', 'write the draft to this file instead of stdout'),
  )
    .description(
      'read a job posting (JSON-LD, OpenGraph tags or the main text) into a draft application; --save creates it',
    )
    .action(async (source: string, opts: ImportJobOptions) => {
      let input: ImportJob;
      if (isWebAddress(source)) {
        if (opts.url !== undefined) throw new Error('--url is for a file; the address is given.');
        input = { url: source.trim() };
      } else {
        // A page saved from the browser keeps its <meta charset>: decoded as the fetcher would.
        const html = decodePage({ body: await readInputFile(source), charset: undefined });
        input = opts.url === undefined ? { html } : { html, url: opts.url };
      }
      await withWorkspace(opts, async (ws) => {
        const imported = await ws.importJob(input);
        const draft = imported.draft;
        let saved: { id: string; name: string } | undefined;
        if (opts.save) {
          const body: CreateApplication = {
            company_name: (opts.company ?? draft.company_name).trim(),
            role_title: (opts.role ?? draft.role_title).trim(),
            job_description: draft.job_description,
            ...(draft.job_url ? { job_url: draft.job_url } : {}),
            ...(draft.location ? { location: draft.location } : {}),
            status: 'draft',
            notes: draft.notes,
          };
          if (body.company_name === '') {
            throw new Error('The page does not name the employer: give it with --company <name>.');
          }
          if (body.role_title === '') {
            throw new Error('The page does not name the role: give it with --role <title>.');
          }
          saved = await ws.confirmImport(imported.snapshot_id, body);
        }
        const text = opts.json
          ? `${JSON.stringify(saved ? { ...imported, application: saved } : imported, null, 2)}\n`
          : formatDraft(
              opts.save
                ? {
                    ...draft,
                    company_name: opts.company ?? draft.company_name,
                    role_title: opts.role ?? draft.role_title,
                  }
                : draft,
            );
        const written = await writeOutput(text, opts.output);
        if (written) report(`Wrote the draft to ${written}.`, false);
        if (saved) report(`Saved application ${saved.name} (${saved.id}).`, written === undefined);
      });
    });

  addTargetOptions(
    program
      .command('import-resume')
      .argument('<file>', 'a resume: PDF, Word (.docx), Markdown, plain text or JSON Resume')
      .option('--save', 'create the resume (otherwise nothing is kept)')
      .option('--name <name>', 'with --save: the resume name (default: the one suggested)')
      .option('--primary', 'with --save: make it the primary resume')
      .option('--json', 'print the whole result (name, source, warnings) as JSON')
      .option('--output <file>', 'write the Markdown to this file instead of stdout'),
  )
    .description('read a resume file into clean Markdown; --save adds it to the resumes')
    .action(async (file: string, opts: ImportResumeOptions) => {
      const bytes = await readInputFile(file);
      await withWorkspace(opts, async (ws) => {
        const read = await ws.importResume(path.basename(file), bytes);
        let saved: { id: string; name: string } | undefined;
        if (opts.save) {
          saved = await ws.createResume({
            name: (opts.name ?? read.name).trim() || path.parse(file).name,
            content: read.content,
            focus_area: 'other',
            ...(opts.primary ? { is_primary: true } : {}),
          });
        }
        const text = opts.json
          ? `${JSON.stringify(saved ? { ...read, resume: saved } : read, null, 2)}\n`
          : `${read.content.trimEnd()}\n`;
        const written = await writeOutput(text, opts.output);
        if (written) report(`Wrote the resume to ${written}.`, false);
        if (!opts.json) for (const w of read.warnings) console.error(`warning: ${w}`);
        if (saved) report(`Saved resume "${saved.name}" (${saved.id}).`, written === undefined);
      });
    });
}
