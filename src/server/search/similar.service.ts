import type { SimilarResult } from '../../contracts/similar.ts';
import {
  applicationExists,
  findApplicationSummaries,
} from '../applications/applications.service.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import { listDocumentTypes } from '../documents/documents.service.ts';
import { notFound } from '../http/errors.ts';
import type { EmbeddingIndex } from './embedding-index.ts';
import { similarApplications } from './embeddings.repository.ts';

/** Past applications whose postings read like this one, with the documents drafted for them. */
export class SimilarService {
  constructor(
    private readonly tenant: Tenant,
    private readonly index: EmbeddingIndex,
  ) {}

  async similar(auth: AuthContext, applicationId: string, limit: number): Promise<SimilarResult> {
    // 404 before any embedding work: another user's id costs nothing and tells nothing.
    await this.tenant(auth, async (tx) => {
      if (!(await applicationExists(tx, auth.userId, applicationId))) throw notFound('application');
    });
    const storage = await this.index.refresh(auth, ['application']);
    const model = this.index.embedder.model;
    return this.tenant(auth, async (tx) => {
      const hits = await similarApplications(tx, storage, {
        userId: auth.userId,
        model,
        applicationId,
        limit,
      });
      const ids = hits.map((h) => h.application_id);
      const docs = await listDocumentTypes(tx, auth.userId, ids);
      const apps = new Map(
        (await findApplicationSummaries(tx, auth.userId, ids)).map((a) => [a.id, a]),
      );
      const items: SimilarResult['items'] = [];
      for (const h of hits) {
        const app = apps.get(h.application_id);
        if (!app) continue; // deleted since the vectors were read
        items.push({
          application: {
            id: app.id,
            name: app.name,
            company_name: app.company_name,
            role_title: app.role_title,
            status: app.status,
            created_at: app.created_at,
          },
          score: 1 - h.distance,
          documents: docs
            .filter((d) => d.application_id === app.id)
            .map((d) => ({ id: d.id, document_type: d.document_type })),
        });
      }
      return { model, items };
    });
  }
}
