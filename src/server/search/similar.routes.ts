import { errorBody, idParams } from '../../contracts/common.ts';
import { similarQuery, similarResult } from '../../contracts/similar.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { SimilarService } from './similar.service.ts';

export function similarRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new SimilarService(deps.tenant, deps.embeddings);
  app.get(
    '/applications/:id/similar',
    {
      onRequest: authenticate(deps.tokens),
      schema: {
        tags: ['search'],
        summary: 'Your past applications most like this one, with their documents',
        description:
          'Exact nearest neighbours among your own applications by the embedding of role, company ' +
          'and description (the server’s embedding model: built-in lexical by default). ' +
          'The application itself is excluded; score is the cosine similarity.',
        params: idParams,
        querystring: similarQuery,
        response: {
          200: similarResult,
          400: errorBody,
          401: errorBody,
          404: errorBody,
          502: errorBody,
        },
      },
    },
    (req) => service.similar(authOf(req), req.params.id, req.query.limit),
  );
}
