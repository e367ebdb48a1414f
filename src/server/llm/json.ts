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
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1].trim());
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
