import type { CreateResume, Resume, UpdateResume } from '../../contracts/resumes.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { Tx } from '../db/database.ts';
import { notFound } from '../http/errors.ts';
import * as repo from './resumes.repository.ts';

/**
 * Resumes and the primary-resume rules: at most one primary per user (the partial unique index
 * user_resumes_one_primary), the first resume is always primary, promoting demotes the others,
 * deleting the primary promotes the most recently updated other one. Unsetting the primary flag
 * is allowed and leaves the user without a primary.
 */
export class ResumesService {
  constructor(private readonly tenant: Tenant) {}

  list(auth: AuthContext, limit: number, offset: number) {
    return this.tenant(auth, async (tx) => ({
      ...(await repo.list(tx, auth.userId, limit, offset)),
      limit,
      offset,
    }));
  }

  get(auth: AuthContext, id: string): Promise<Resume> {
    return this.tenant(auth, async (tx) => (await repo.find(tx, auth.userId, id)) ?? missing());
  }

  create(auth: AuthContext, input: CreateResume): Promise<Resume> {
    return this.tenant(auth, async (tx) => {
      await repo.lockUserResumes(tx, auth.userId);
      const isPrimary = input.is_primary === true || !(await repo.hasAny(tx, auth.userId));
      // Demote before inserting: the partial unique index is checked per statement.
      if (isPrimary) await repo.demoteOthers(tx, auth.userId, null);
      return repo.insert(tx, auth.userId, { ...input, is_primary: isPrimary });
    });
  }

  update(auth: AuthContext, id: string, patch: UpdateResume): Promise<Resume> {
    return this.tenant(auth, async (tx) => {
      await repo.lockUserResumes(tx, auth.userId);
      if (!(await repo.find(tx, auth.userId, id))) missing();
      if (patch.is_primary === true) await repo.demoteOthers(tx, auth.userId, id);
      return (await repo.update(tx, auth.userId, id, patch)) ?? missing();
    });
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.tenant(auth, async (tx) => {
      await repo.lockUserResumes(tx, auth.userId);
      const deleted = (await repo.remove(tx, auth.userId, id)) ?? missing();
      if (deleted.was_primary) await repo.promoteMostRecent(tx, auth.userId);
    });
  }
}

const missing = (): never => {
  throw notFound('resume');
};

/** For other features, inside their transaction: a resume by id, or the primary one. */
export const findResume = (tx: Tx, userId: string, id: string) => repo.find(tx, userId, id);
export const findPrimaryResume = (tx: Tx, userId: string) => repo.findPrimary(tx, userId);
