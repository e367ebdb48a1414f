import type {
  Application,
  CreateApplication,
  ListApplicationsQuery,
  UpdateApplication,
} from '../../contracts/applications.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { Tx } from '../db/database.ts';
import { notFound } from '../http/errors.ts';
import { applicationName } from './application-name.ts';
import * as events from './application-events.repository.ts';
import * as repo from './applications.repository.ts';

/** Applications and their timeline: every status change is an event in the same transaction. */
export class ApplicationsService {
  constructor(private readonly tenant: Tenant) {}

  list(auth: AuthContext, query: ListApplicationsQuery) {
    return this.tenant(auth, async (tx) => ({
      ...(await repo.list(tx, auth.userId, query)),
      limit: query.limit,
      offset: query.offset,
    }));
  }

  get(auth: AuthContext, id: string): Promise<Application> {
    return this.tenant(auth, async (tx) => (await repo.find(tx, auth.userId, id)) ?? missing());
  }

  create(auth: AuthContext, input: CreateApplication): Promise<Application> {
    return this.tenant(auth, (tx) => this.createInTransaction(tx, auth.userId, input));
  }

  /** create() inside a caller's transaction (an import attaches its snapshot in the same one). */
  async createInTransaction(tx: Tx, userId: string, input: CreateApplication) {
    // The database's clock, so that the name's date is created_at's UTC date.
    const now = await repo.transactionTime(tx);
    const name = applicationName(input.company_name, input.role_title, now);
    const created = await repo.insert(tx, userId, { ...input, name });
    await events.recordEvent(tx, userId, created.id, {
      kind: 'created',
      to_status: created.status,
    });
    return created;
  }

  /** The name is not regenerated: it identifies the application, whatever is renamed later. */
  update(auth: AuthContext, id: string, patch: UpdateApplication): Promise<Application> {
    return this.tenant(auth, async (tx) => {
      const before = (await repo.lockApplication(tx, auth.userId, id)) ?? missing();
      const updated = (await repo.update(tx, auth.userId, id, patch)) ?? missing();
      if (updated.status !== before.status) {
        await events.recordEvent(tx, auth.userId, id, {
          kind: 'status_changed',
          from_status: before.status,
          to_status: updated.status,
        });
      }
      return updated;
    });
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.tenant(auth, async (tx) => {
      if (!(await repo.remove(tx, auth.userId, id))) missing();
    });
  }

  events(auth: AuthContext, id: string) {
    return this.tenant(auth, async (tx) => {
      if (!(await repo.applicationExists(tx, auth.userId, id))) missing();
      return { items: await events.listEvents(tx, auth.userId, id) };
    });
  }
}

const missing = (): never => {
  throw notFound('application');
};

/*
 * For other features, inside their own transaction (the generation worker reads the posting it
 * drafts for and locks the application before saving a draft; decision 063 for the lock order).
 */
export const findApplication = (tx: Tx, userId: string, id: string) => repo.find(tx, userId, id);
export const applicationExists = (tx: Tx, userId: string, id: string) =>
  repo.applicationExists(tx, userId, id);
export const lockApplication = (tx: Tx, userId: string, id: string) =>
  repo.lockApplication(tx, userId, id);
/** These of the user's applications (others' ids left out), as summaries. */
export const findApplicationSummaries = repo.findSummaries;
/** The application's timeline: a document saved or deleted is an event of its application. */
export const recordApplicationEvent = events.recordEvent;
