import { useQuery } from '@tanstack/react-query';
import type { MatchResult } from '../../../../contracts/match.ts';
import { api, ApiError, qs } from '../../../lib/api-client.ts';

/**
 * The match analysis of an application against a resume (default: the primary). Keyed under
 * ['documents', applicationId] on purpose: every save of a document — by the editor or by a
 * draft — invalidates that prefix, so the analysis refreshes with the tailored resume.
 */
export const useMatch = (applicationId: string, resumeId?: string) =>
  useQuery({
    queryKey: ['documents', applicationId, 'match', resumeId ?? 'primary'],
    queryFn: ({ signal }) =>
      api<MatchResult>(
        'GET',
        `/applications/${applicationId}/match${qs({ resume_id: resumeId })}`,
        {
          signal,
        },
      ),
    // "Add a resume first" (409) and a missing resume (404) are answers, not hiccups.
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
  });

export const isNoResume = (err: unknown) =>
  err instanceof ApiError && (err.code === 'no_resume' || err.status === 409);
