import type { MatchResult } from '../../contracts/match.ts';
import { find as findApplication } from '../applications/applications.repository.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import { find as findDocument } from '../documents/documents.repository.ts';
import { AppError, notFound } from '../http/errors.ts';
import { matchResume, type MatchAnalysis } from '../llm/offline/match.ts';
import { analyzePosting } from '../llm/offline/posting.ts';
import * as resumes from '../resumes/resumes.repository.ts';
import { checkGrounding } from './grounding.ts';

const present = (m: MatchAnalysis) => ({
  score: m.score,
  requirements: m.requirements.map((r) => ({
    text: r.text,
    importance: r.importance,
    status: r.status,
    evidence: r.evidence,
  })),
  missing_keywords: m.missingKeywords,
});

/**
 * How a resume meets an application's posting, and, when a tailored resume was drafted, how it
 * does (before and after) and whether everything in it comes from the source resume. Computed on
 * request from the stored texts: deterministic, whichever provider drafted the documents.
 */
export class MatchService {
  constructor(private readonly tenant: Tenant) {}

  analyse(auth: AuthContext, applicationId: string, resumeId?: string): Promise<MatchResult> {
    return this.tenant(auth, async (tx) => {
      const app = await findApplication(tx, auth.userId, applicationId);
      if (!app) throw notFound('application');
      const resume = resumeId
        ? await resumes.find(tx, auth.userId, resumeId)
        : await resumes.findPrimary(tx, auth.userId);
      if (!resume) {
        throw resumeId
          ? notFound('resume')
          : new AppError(409, 'no_resume', 'Add a resume (or choose one with resume_id) first.');
      }
      const tailored = await findDocument(tx, auth.userId, applicationId, 'optimized_resume');
      const posting = analyzePosting({
        company: app.company_name,
        role: app.role_title,
        location: app.location,
        description: app.job_description,
      });
      return {
        resume_id: resume.id,
        ...present(matchResume(posting, resume.content)),
        tailored: tailored
          ? {
              document_id: tailored.id,
              version: tailored.version,
              ...present(matchResume(posting, tailored.content)),
              grounding: checkGrounding(tailored.content, resume.content),
            }
          : null,
      };
    });
  }
}
