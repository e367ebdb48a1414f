import { z } from 'zod';

export const matchQuery = z.strictObject({
  resume_id: z.uuid().optional().describe('Default: your primary resume'),
});

const requirementMatch = z.object({
  text: z.string(),
  importance: z.enum(['must', 'nice']),
  status: z.enum(['met', 'partial', 'missing']),
  evidence: z.array(z.string()).describe('Lines quoted from the resume'),
});

const analysis = {
  score: z.number().int().min(0).max(100).describe('Must-haves count twice; partial counts half'),
  requirements: z.array(requirementMatch),
  missing_keywords: z.array(z.string()).describe('Skills the posting names that the resume lacks'),
};

export const grounding = z
  .object({
    grounded: z.boolean(),
    ungrounded: z.array(
      z.object({
        text: z.string().describe('The tailored resume’s line'),
        reasons: z.array(
          z.object({
            kind: z.enum(['skill', 'name', 'number', 'date', 'wording']),
            text: z.string().describe('What the source resume does not support'),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'GroundingReport' });

export const matchResult = z
  .object({
    resume_id: z.uuid(),
    ...analysis,
    tailored: z
      .object({
        document_id: z.uuid(),
        version: z.number().int(),
        ...analysis,
        grounding,
      })
      .nullable()
      .describe('The same analysis for the tailored resume (before and after), when there is one'),
  })
  .meta({ id: 'MatchAnalysis' });
export type MatchResult = z.infer<typeof matchResult>;
