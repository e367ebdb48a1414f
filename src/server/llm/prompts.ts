import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DraftInputs } from './offline/inputs.ts';
import type { DraftTask } from './provider.ts';

export const PROMPTS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../prompts',
);

/** The template version each task uses; stored with every job so a draft can be traced. */
export const PROMPT_VERSIONS: Record<DraftTask, string> = {
  research_report: 'research-report.v1',
  optimized_resume: 'optimized-resume.v1',
  cover_letter: 'cover-letter.v1',
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
  return text.replace(/<\s*\/?\s*(job_posting|resume|research_report)\b/gi, (m) =>
    m.replace('<', '‹'),
  );
}

/** The system and user messages for a task, every value inserted as data. */
export function renderPrompt(
  task: DraftTask,
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
  };
  // One pass over the template: a value containing "{{resume}}" is not expanded again.
  const prompt = t.user.replace(/\{\{(\w+)\}\}/g, (m, key: string) =>
    key in values ? asData(values[key]!) : m,
  );
  return { system: t.system, prompt };
}
