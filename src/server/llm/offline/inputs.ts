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

/** An application's posting as drafts and the match read it. */
export const postingOf = (app: {
  company_name: string;
  role_title: string;
  location: string | null;
  job_description: string;
}): DraftInputs['job'] => ({
  company: app.company_name,
  role: app.role_title,
  location: app.location,
  description: app.job_description,
});
