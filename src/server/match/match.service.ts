import type { MatchResult } from '../../contracts/match.ts';
import { findApplication } from '../applications/applications.service.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import { findDocument } from '../documents/documents.service.ts';
import { AppError, notFound } from '../http/errors.ts';
import { postingOf } from '../llm/offline/inputs.ts';
import type { MatchAnalysis } from '../llm/offline/match.ts';
import { findPrimaryResume, findResume } from '../resumes/resumes.service.ts';

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
 * request from the stored texts: deterministic, whichever provider drafted the documents. The
 * texts are read in the transaction; the analysis runs in the compute pool after it commits.
 */
export class MatchService {
  constructor(
    private readonly tenant: Tenant,
    private readonly compute: ComputePool,
  ) {}

  async analyse(auth: AuthContext, applicationId: string, resumeId?: string): Promise<MatchResult> {
    const { app, resume, tailored } = await this.tenant(auth, async (tx) => {
      const app = await findApplication(tx, auth.userId, applicationId);
      if (!app) throw notFound('application');
      const resume = resumeId
        ? await findResume(tx, auth.userId, resumeId)
        : await findPrimaryResume(tx, auth.userId);
      if (!resume) {
        throw resumeId
          ? notFound('resume')
          : new AppError(409, 'no_resume', 'Add a resume (or choose one with resume_id) first.');
      }
      const tailored = await findDocument(tx, auth.userId, applicationId, 'optimized_resume');
      return { app, resume, tailored };
    });
    const report = await this.compute.run(
      'matchReport',
      {
        job: postingOf(app),
        resume: resume.content,
        tailored: tailored?.content,
      },
      'Matching the resume against the posting',
    );
    return {
      resume_id: resume.id,
      ...present(report.resume),
      tailored:
        tailored && report.tailored
          ? {
              document_id: tailored.id,
              version: tailored.version,
              ...present(report.tailored.match),
              grounding: report.tailored.grounding,
            }
          : null,
    };
  }
}
