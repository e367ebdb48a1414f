import { errorBody, idParams } from '../../contracts/common.ts';
import { matchQuery, matchResult } from '../../contracts/match.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { MatchService } from './match.service.ts';

export function matchRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new MatchService(deps.tenant, deps.compute);
  app.get(
    '/applications/:id/match',
    {
      onRequest: authenticate(deps.tokens),
      schema: {
        tags: ['generation'],
        summary: 'How your resume meets the posting, before and after tailoring',
        description:
          'Score, requirements met/partial/missing with evidence quoted from the resume, missing keywords. ' +
          'When a tailored resume exists: the same for it, and a grounding check listing every line ' +
          'it cannot trace to the source resume.',
        params: idParams,
        querystring: matchQuery,
        response: {
          200: matchResult,
          400: errorBody,
          401: errorBody,
          404: errorBody,
          409: errorBody,
        },
      },
    },
    (req) => service.analyse(authOf(req), req.params.id, req.query.resume_id),
  );
}
