import { z } from 'zod';

const count = z.number().int().min(0);

export const weekCount = z.object({
  week_start: z.iso.date().describe('Monday of the week (UTC)'),
  added: count.describe('Applications created that week'),
  applied: count.describe('Applications first marked applied that week'),
});

export const applicationStats = z
  .object({
    total: count,
    by_status: z.object({
      draft: count,
      applied: count,
      interview: count,
      rejected: count,
      offer: count,
    }),
    weeks: z.array(weekCount).describe('The last 12 weeks, oldest first, including empty weeks'),
    applied_count: count.describe('Applications that were ever marked applied'),
    responded_count: count.describe(
      'Of those, how many later moved to interview, offer or rejected (a response)',
    ),
    response_rate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('responded_count / applied_count; null before anything was applied for'),
    median_days_to_response: z
      .number()
      .min(0)
      .nullable()
      .describe('Median days from applied to the first response; null without responses'),
  })
  .meta({ id: 'ApplicationStats' });
export type ApplicationStats = z.infer<typeof applicationStats>;
