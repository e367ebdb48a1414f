import type { PostingBrief } from '../brief.ts';

/** What a draft is made from: the posting and the resume (both untrusted text) and the report. */
export interface DraftInputs {
  job: { company: string; role: string; location: string | null; description: string };
  resume: string;
  /** The research report, given to the tailored resume and the cover letter. */
  report?: string;
  /** The posting brief (validated), given to the tailored resume and the cover letter. */
  brief?: PostingBrief;
}
