import { z } from 'zod';
import type { DraftInputs } from './offline/inputs.ts';
import { renderPrompt } from './prompts.ts';
import { JsonAnswerError, LlmError, type LlmProvider, type Usage } from './provider.ts';

// One line each: a model's item is rendered as one Markdown bullet, so line breaks go.
const line = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

/** What the posting asks for, as data: the model's reading, checked before anything uses it. */
export const postingBrief = z.strictObject({
  role_summary: line(600),
  requirements: z
    .array(z.strictObject({ text: line(300), importance: z.enum(['must', 'nice']) }))
    .max(40, 'at most 40 requirements'),
  keywords: z.array(line(60)).max(40, 'at most 40 keywords'),
  open_questions: z.array(line(300)).max(12, 'at most 12 questions'),
});
export type PostingBrief = z.infer<typeof postingBrief>;

/** The name providers see (OpenAI json_schema) and the offline engine answers to. */
export const POSTING_BRIEF_SCHEMA = 'posting_brief';

const list = (items: string[]) => items.map((i) => `- ${i}`).join('\n');

/**
 * The report's section drawn from the brief by our code, never by the model: headings and
 * structure are ours, the items are the validated strings. Empty when the brief holds nothing.
 */
export function renderBriefSection(brief: PostingBrief): string {
  const must = brief.requirements.filter((r) => r.importance === 'must').map((r) => r.text);
  const nice = brief.requirements.filter((r) => r.importance === 'nice').map((r) => r.text);
  const parts: string[] = [];
  if (must.length + nice.length > 0) {
    parts.push('### Requirements (must / nice to have)');
    if (must.length > 0) parts.push('Must have:', list(must));
    if (nice.length > 0) parts.push('Nice to have:', list(nice));
  }
  if (brief.keywords.length > 0) parts.push('### Keywords', brief.keywords.join(', '));
  if (brief.open_questions.length > 0)
    parts.push('### Questions to ask', list(brief.open_questions));
  if (parts.length === 0) return '';
  return ['## From the posting, point by point', ...parts].join('\n\n') + '\n';
}

export interface BriefOutcome {
  brief: PostingBrief | undefined;
  usage: Usage;
  /** Why there is no brief, in words for the user; set exactly when `brief` is not. */
  warning?: string;
}

/**
 * Asks for the posting brief; an answer that does not parse or validate gets one more attempt
 * that tells the model what was wrong. A brief that still cannot be had is not worth failing
 * the job for: the outcome carries a warning instead. Cancellation still propagates.
 */
export async function askPostingBrief(
  provider: LlmProvider,
  inputs: DraftInputs,
  opts: { maxOutputTokens: number; signal?: AbortSignal },
): Promise<BriefOutcome> {
  const { system, prompt } = renderPrompt('posting_brief', inputs);
  const ask = (extra: string) =>
    provider.generateJson({
      system,
      prompt: prompt + extra,
      schema: postingBrief,
      schemaName: POSTING_BRIEF_SCHEMA,
      inputs,
      maxOutputTokens: opts.maxOutputTokens,
      signal: opts.signal,
    });
  const cantProduce = (reason: string) =>
    `Model ${provider.model} could not produce the structured requirements (${reason}); the report is drafted from the posting text only.`;
  const none = { inputTokens: 0, outputTokens: 0 };
  try {
    const first = await ask('');
    return { brief: first.value, usage: first.usage };
  } catch (err) {
    if (err instanceof LlmError && err.kind === 'cancelled') throw err;
    if (!(err instanceof JsonAnswerError)) {
      return { brief: undefined, usage: none, warning: cantProduce(reasonOf(err)) };
    }
    try {
      const second = await ask(
        `\n\nYour previous answer could not be used: ${err.reason}. Answer again with one JSON object with exactly the keys role_summary, requirements (objects with text and importance "must" or "nice"), keywords and open_questions.`,
      );
      return { brief: second.value, usage: second.usage };
    } catch (again) {
      if (again instanceof LlmError && again.kind === 'cancelled') throw again;
      return { brief: undefined, usage: none, warning: cantProduce(reasonOf(again)) };
    }
  }
}

const reasonOf = (err: unknown) =>
  err instanceof JsonAnswerError
    ? err.reason
    : err instanceof LlmError
      ? err.message.replace(/\.$/, '')
      : 'an unexpected error';
