import { errorBody } from '../../contracts/common.ts';
import { searchQuery, searchResult } from '../../contracts/search.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { SearchService } from './search.service.ts';

export function searchRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new SearchService(deps.tenant, deps.embeddings);
  app.get(
    '/search',
    {
      onRequest: authenticate(deps.tokens),
      schema: {
        tags: ['search'],
        summary: 'Search your applications, resumes and documents',
        description:
          'Full-text search with English stemming, ranked by relevance; Chinese, Japanese and Korean ' +
          'words are found inside longer runs of text. Supports "quoted phrases", ' +
          '-excluded words and `or`. With semantic=true: ranked by embedding similarity instead ' +
          '(applications and documents). Only your own data is searched.',
        querystring: searchQuery,
        response: { 200: searchResult, 400: errorBody, 401: errorBody, 502: errorBody },
      },
    },
    async (req) => ({
      query: req.query.q,
      items: req.query.semantic
        ? await service.semantic(authOf(req), req.query.q, req.query.kinds, req.query.limit)
        : await service.run(authOf(req), req.query.q, req.query.kinds, req.query.limit),
    }),
  );
}
