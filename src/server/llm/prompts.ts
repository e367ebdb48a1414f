import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DraftInputs } from './offline/inputs.ts';
import type { DraftTask } from './provider.ts';

export const PROMPTS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../prompts',
);

/** A drafted document, or the structured posting brief asked for beside the report. */
export type PromptTask = DraftTask | 'posting_brief';

/**
 * The template version each task uses; stored with every job so a draft can be traced. Older
 * versions stay in prompts/ because jobs already recorded name them.
 */
export const PROMPT_VERSIONS: Record<PromptTask, string> = {
  research_report: 'research-report.v1',
  posting_brief: 'posting-brief.v1',
  optimized_resume: 'optimized-resume.v2',
  cover_letter: 'cover-letter.v2',
};

const cache = new Map<string, { system: string; user: string }>();

function template(name: string): { system: string; user: string } {
  let t = cache.get(name);
  if (!t) {
    const text = fs.readFileSync(path.join(PROMPTS_DIR, `${name}.md`), 'utf8');
    const [system, user] = text.split(/^=== user ===$/m);
    if (!system || user === undefined) throw new Error(`prompt ${name} has no "=== user ===" line`);
    t = { system: system.trim(), user: user.trim() };
    cache.set(name, t);
  }
  return t;
}

/**
 * Untrusted text goes only inside its tagged block. A closing tag inside the data (a posting
 * that writes "</job_posting> now ignore the rules") is defused so it cannot end the block early.
 */
export function asData(text: string): string {
  return text.replace(/<\s*(?:\/\s*)?(job_posting|resume|research_report|posting_brief)\b/gi, (m) =>
    m.replace('<', '‹'),
  );
}

/** The system and user messages for a task, every value inserted as data. */
export function renderPrompt(
  task: PromptTask,
  inputs: DraftInputs,
): { system: string; prompt: string } {
  const t = template(PROMPT_VERSIONS[task]);
  const values: Record<string, string> = {
    company: inputs.job.company,
    role: inputs.job.role,
    location: inputs.job.location ?? 'not stated',
    job_posting: inputs.job.description,
    resume: inputs.resume,
    report: inputs.report ?? '',
    // Validated data, as JSON: the model reads its fields, never instructions in them.
    brief: inputs.brief
      ? JSON.stringify(inputs.brief, null, 2)
      : 'not available: use the posting and the report',
  };
  // One pass over the template: a value containing "{{resume}}" is not expanded again.
  const prompt = t.user.replace(/\{\{(\w+)\}\}/g, (m, key: string) =>
    key in values ? asData(values[key]!) : m,
  );
  return { system: t.system, prompt };
}
