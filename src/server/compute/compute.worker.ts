// The compute pool's worker module (decision 062): every CPU-heavy task the server runs off its
// event loop. Piscina calls the default export in a thread with a structured clone of the
// envelope; the pure functions the tasks call are the same ones the rest of the code tests.
import type { MessagePort } from 'node:worker_threads';
import type { DraftTask } from '../llm/provider.ts';
import { AppError } from '../http/errors.ts';
import type { LetterHead } from '../exports/pdf-render.ts';
import {
  analyze,
  coverLetter,
  postingBrief as brief,
  researchReport,
  tailoredResume,
  type DraftAnalysis,
} from '../llm/offline/drafts.ts';
import type { DraftInputs } from '../llm/offline/inputs.ts';
import { matchResume } from '../llm/offline/match.ts';
import { analyzePosting } from '../llm/offline/posting.ts';
import { checkGrounding, ungroundedClaims } from '../match/grounding.ts';

/** What a thread is handed per task: the task's name, its input, the port it signals start on. */
export interface Envelope {
  name: TaskName;
  input: unknown;
  started: MessagePort;
}

/** An AppError crosses the thread boundary as data (a structured clone drops its class). */
export interface AppErrorData {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: AppErrorData };

type Job = DraftInputs['job'];

// The parsers and renderers (pdf.js, PDFKit, docx, the HTML parser) are loaded by the first task
// that needs them, not by every thread as it starts: a thread starts in a quarter of the time
// (0.5 s instead of 2 s from the sources on a busy machine). Loading happens before the task
// reports its start (see runTask), so it does not count against the deadline; the tasks' own
// imports then come from the thread's module cache.
const load = {
  resumeFiles: () => import('../resume-import/read-resume.ts'),
  jobPages: () => import('../imports/posting-extract.ts'),
  blocks: () => import('../exports/markdown-blocks.ts'),
  pdf: () => import('../exports/pdf-render.ts'),
  docx: () => import('../exports/docx-render.ts'),
};

/** Every task, by name: plain data in, plain data out. */
export const tasks = {
  /** Nothing: the pool runs it to start a thread for tasks left waiting (see compute-pool.ts). */
  ping: (): null => null,

  /** The offline engine's reading of a posting and a resume: once per drafting job. */
  analyzeDraft: (inputs: { job: Job; resume: string }): DraftAnalysis => analyze(inputs),

  /** One offline document, from the job's analysis. */
  draftDocument: (input: { task: DraftTask; inputs: DraftInputs; analysis: DraftAnalysis }) =>
    input.task === 'research_report'
      ? researchReport(input.inputs, input.analysis)
      : input.task === 'optimized_resume'
        ? tailoredResume(input.inputs, input.analysis.posting)
        : coverLetter(input.inputs, input.analysis),

  /** The offline engine's posting brief, from the job's analysis. */
  postingBrief: (input: { inputs: DraftInputs; analysis: DraftAnalysis }) =>
    brief(input.inputs, input.analysis.posting),

  /** GET /match: the resume against the posting, and the tailored resume too when there is one. */
  matchReport: ({ job, resume, tailored }: { job: Job; resume: string; tailored?: string }) => {
    const posting = analyzePosting(job);
    return {
      resume: matchResume(posting, resume),
      tailored:
        tailored === undefined
          ? undefined
          : { match: matchResume(posting, tailored), grounding: checkGrounding(tailored, resume) },
    };
  },

  /** The grounding check a tailored resume gets when it is saved, as the version stores it. */
  groundTailored: ({ tailored, source }: { tailored: string; source: string }) =>
    ungroundedClaims(checkGrounding(tailored, source)),

  /** A resume file (PDF, DOCX, Markdown, text, JSON Resume) as Markdown for review. */
  readResumeFile: async ({ filename, bytes }: { filename: string; bytes: Uint8Array }) => {
    const { parseResumeFile } = await load.resumeFiles();
    return parseResumeFile(filename, bytes);
  },

  /** The job postings on an HTML page; a parser failure is that page's problem (422). */
  extractPostings: async ({ html, where }: { html: string; where?: string }) => {
    const { extractPostings } = await load.jobPages();
    try {
      return extractPostings(html, where);
    } catch {
      throw new AppError(
        422,
        'page_unreadable',
        `${where ? `The page at ${where}` : 'That page'} could not be read as HTML.`,
      );
    }
  },

  /** A document as a PDF or Word file (one Markdown → blocks parse, then its renderer). */
  renderDocument: async (input: {
    markdown: string;
    format: 'pdf' | 'docx';
    meta: { title: string; author: string; letterHead?: LetterHead };
  }): Promise<Uint8Array> => {
    const blocks = (await load.blocks()).markdownBlocks(input.markdown);
    const file =
      input.format === 'pdf'
        ? await (await load.pdf()).renderPdf(blocks, input.meta)
        : await (await load.docx()).renderDocx(blocks, input.meta);
    // A structured clone of a Buffer arrives as a Uint8Array anyway.
    return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  },
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;

/** What a task loads before it starts. */
const prepare: Partial<Record<TaskName, () => Promise<unknown>>> = {
  readResumeFile: load.resumeFiles,
  extractPostings: load.jobPages,
  renderDocument: () => Promise.all([load.blocks(), load.pdf(), load.docx()]),
};

/**
 * What the pool calls for every task. It says it has started once its code is loaded (the
 * deadline counts from then: neither the queue nor the thread's start-up is the input's fault),
 * and returns a refusal (an AppError: a corrupt file, a page that is not HTML) as data, so the
 * caller gets the same 4xx it would have got on the main thread. Anything else is a bug and is
 * thrown (a 500 that the error handler logs).
 */
export default async function runTask({ name, input, started }: Envelope): Promise<Outcome> {
  await prepare[name]?.();
  started.postMessage('started');
  started.close();
  try {
    const run = tasks[name] as (input: unknown) => unknown;
    return { ok: true, value: await run(input) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const { status, code, message, fields, headers } = err;
    return { ok: false, error: { status, code, message, fields, headers } };
  }
}
