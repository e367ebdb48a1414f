import type { GenerationJob } from '../../../contracts/generation.ts';

export type JobUsage = GenerationJob['usage'];

const n = (x: number) => x.toLocaleString('en-US');

/** An estimate in dollars: cents when it is at least one, else "less than $0.01". */
export function formatUsd(usd: number): string {
  if (usd < 0.01) return 'less than $0.01';
  return `$${usd.toFixed(2)}`;
}

/**
 * What a finished job used, in words: "3,210 tokens (2,900 in, 310 out), estimated cost $0.02".
 * The cost part is left out when it is zero (the offline engine, a local server) and says so
 * when the model has no known price. Null when the job used no tokens at all.
 */
export function jobUsageText(usage: JobUsage): string | null {
  const total = usage.input_tokens + usage.output_tokens;
  if (total === 0) return null;
  const tokens = `${n(total)} tokens (${n(usage.input_tokens)} in, ${n(usage.output_tokens)} out)`;
  const cost = usage.estimated_cost_usd;
  if (cost === null) return `${tokens}, cost unknown for this model`;
  if (cost === 0) return tokens;
  return `${tokens}, estimated cost ${formatUsd(cost)}`;
}
