import type { z } from 'zod';

/**
 * Reads a JSON value out of a model's answer when the provider had no structured output: code
 * fences, prose around the object and trailing commas are what local models add most often.
 * Returns undefined when nothing parses, or the schema's error message when it does not match.
 */
export function parseModelJson<T>(
  text: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; reason: string } {
  const candidates: string[] = [text.trim()];
  const fenced = fencedBlock(text);
  if (fenced) candidates.push(fenced.trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  let reason = 'the answer contains no JSON object';
  for (const candidate of candidates) {
    for (const variant of [candidate, candidate.replace(/,\s*([}\]])/g, '$1')]) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(variant);
      } catch {
        continue;
      }
      const checked = schema.safeParse(parsed);
      if (checked.success) return { ok: true, value: checked.data };
      reason = `the JSON does not have the expected shape (${checked.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')})`;
    }
  }
  return { ok: false, reason };
}

/**
 * The body of the first code fence ("```json … ```"), as `/```(?:json)?\s*([\s\S]*?)```/i`
 * captures it, without that regex's quadratic retries over a long blank run in an unclosed
 * fence: if the first opening has no closing fence after it, no later opening has one either.
 */
function fencedBlock(text: string): string | undefined {
  const open = text.indexOf('```');
  if (open < 0) return undefined;
  let body = open + 3;
  if (text.slice(body, body + 4).toLowerCase() === 'json') body += 4;
  while (body < text.length && /\s/.test(text[body]!)) body++;
  const close = text.indexOf('```', body);
  return close < 0 ? undefined : text.slice(body, close);
}
