import { listApplicationsQuery } from '../src/contracts/applications.ts';
import { searchQuery } from '../src/contracts/search.ts';
import { ApplicationsService } from '../src/server/applications/applications.service.ts';
import { createTenant } from '../src/server/auth/tenant.ts';
import type { Database } from '../src/server/db/database.ts';
import { SearchService } from '../src/server/search/search.service.ts';
import { EmbeddingIndex } from '../src/server/search/embedding-index.ts';
import { LexicalEmbedder } from '../src/server/llm/embeddings/lexical.ts';
import type { Operation } from './measure.ts';
import type { Endpoint, Workload } from './workload.ts';

/**
 * The database half of each request without HTTP: the services the routes call, over the same
 * tenant helper (session check, SET LOCAL ROLE, user context, repository SQL, COMMIT). The
 * services are thin wrappers over tenant + repository, so calling them runs exactly the
 * statements a request runs, and keeps doing so when a service changes.
 */
export function driverOperation(
  db: Database,
  workload: Workload,
  endpoint: Endpoint,
  concurrency: number,
): Operation {
  const tenant = createTenant(db);
  const applications = new ApplicationsService(tenant);
  const search = new SearchService(tenant, new EmbeddingIndex(tenant, new LexicalEmbedder()));
  // Parsed by the routes' own schemas, so the defaults (sort, order, kinds) are the routes'.
  const listQuery = listApplicationsQuery.parse({ limit: '20' });
  const pickers = workload.pickers(concurrency, endpoint);
  return async (worker) => {
    const t = pickers[worker]!();
    const auth = { userId: t.user.id, sessionId: t.user.sessionId };
    switch (endpoint) {
      case 'list':
        await applications.list(auth, listQuery);
        return;
      case 'get':
        await applications.get(auth, t.applicationId);
        return;
      case 'search': {
        const q = searchQuery.parse({ q: t.word, limit: '10' });
        await search.run(auth, q.q, q.kinds, q.limit);
        return;
      }
    }
  };
}
