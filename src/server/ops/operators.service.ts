import type { Database, Tx } from '../db/database.ts';
import { OperatorError } from './errors.ts';
import * as repo from './operators.repository.ts';
import type { UserRef, UserSummary } from './operators.repository.ts';

export type { UserSummary } from './operators.repository.ts';

/**
 * What `jobforge user …` does. Runs as the owner / operator role (asOwner): on a server its
 * policies see every user's rows; in PGlite it is the superuser.
 */
export class OperatorService {
  constructor(private readonly db: Database) {}

  listUsers(): Promise<UserSummary[]> {
    return this.db.asOwner((tx) => repo.listUsers(tx));
  }

  /** Stops the account: sign-in answers 403 and every session ends now. */
  disableUser(idOrEmail: string): Promise<{ user: UserRef; changed: boolean; sessions: number }> {
    return this.db.asOwner(async (tx) => {
      const user = await this.find(tx, idOrEmail);
      if (user.is_active) await repo.setActive(tx, user.id, false);
      const sessions = await repo.revokeSessions(tx, user.id, 'disabled');
      return { user: { ...user, is_active: false }, changed: user.is_active, sessions };
    });
  }

  /** Lets the account sign in again; sessions ended by disabling stay ended. */
  enableUser(idOrEmail: string): Promise<{ user: UserRef; changed: boolean }> {
    return this.db.asOwner(async (tx) => {
      const user = await this.find(tx, idOrEmail);
      if (!user.is_active) await repo.setActive(tx, user.id, true);
      return { user: { ...user, is_active: true }, changed: !user.is_active };
    });
  }

  /**
   * Deletes the account and everything in it, for good. Without confirmation it refuses and
   * says what would go.
   */
  deleteUser(
    idOrEmail: string,
    opts: { confirmed: boolean },
  ): Promise<{ user: UserRef; removed: Awaited<ReturnType<typeof repo.contentCounts>> }> {
    return this.db.asOwner(async (tx) => {
      const user = await this.find(tx, idOrEmail);
      const removed = await repo.contentCounts(tx, user.id);
      if (!opts.confirmed) {
        throw new OperatorError(
          'confirmation_required',
          `Deleting ${user.email} removes the account with its ${removed.resumes} resume(s), ` +
            `${removed.applications} application(s) and ${removed.documents} document(s), for good. ` +
            'Run the command again with --yes to confirm.',
        );
      }
      await repo.deleteUser(tx, user.id);
      return { user, removed };
    });
  }

  private async find(tx: Tx, idOrEmail: string): Promise<UserRef> {
    const user = await repo.findUser(tx, idOrEmail);
    if (!user) {
      throw new OperatorError('user_not_found', `No user has the id or email "${idOrEmail}".`);
    }
    return user;
  }
}
