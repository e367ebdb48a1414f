import { errorBody } from '../../contracts/common.ts';
import { applicationStats } from '../../contracts/stats.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { StatsService } from './stats.service.ts';

export function statsRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new StatsService(deps.tenant);
  app.get(
    '/stats/applications',
    {
      onRequest: authenticate(deps.tokens),
      schema: {
        tags: ['stats'],
        summary: 'Your job search in figures: by status, per week, response rate and time',
        description:
          'A response is the first move to interview, offer or rejected after the application ' +
          'was first marked applied. Weeks start on Monday (UTC).',
        response: { 200: applicationStats, 401: errorBody },
      },
    },
    (req) => service.applications(authOf(req)),
  );
}
