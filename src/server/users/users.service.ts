import type { User } from '../../contracts/users.ts';
import { isEmailTaken, revokeOtherSessions, type AuthService } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import { conflict, notFound } from '../http/errors.ts';
import * as repo from './users.repository.ts';

export class UsersService {
  constructor(
    private readonly tenant: Tenant,
    private readonly auth: AuthService,
  ) {}

  get(auth: AuthContext): Promise<User> {
    return this.tenant(auth, async (tx) => (await repo.getMe(tx, auth.userId)) ?? raise());
  }

  update(auth: AuthContext, patch: { email?: string; first_name?: string; last_name?: string }) {
    return this.tenant(auth, async (tx) => {
      if (patch.email !== undefined) {
        const me = await repo.getMe(tx, auth.userId);
        if (
          me &&
          me.email.toLowerCase() !== patch.email.toLowerCase() &&
          (await isEmailTaken(tx, patch.email))
        ) {
          throw conflict('email_taken', 'An account with this email already exists.', {
            email: 'is already registered',
          });
        }
      }
      return (await repo.updateMe(tx, auth.userId, patch)) ?? raise();
    });
  }

  async changePassword(auth: AuthContext, current: string, next: string): Promise<void> {
    const hash = await hashPassword(next);
    await this.tenant(auth, async (tx) => {
      await this.auth.checkPassword(tx, auth.userId, current);
      await repo.setPassword(tx, auth.userId, hash);
      await revokeOtherSessions(tx, auth.sessionId, 'password_changed');
    });
  }

  async delete(auth: AuthContext, password: string): Promise<void> {
    await this.tenant(auth, async (tx) => {
      await this.auth.checkPassword(tx, auth.userId, password);
      await repo.deleteMe(tx, auth.userId);
    });
  }

  export(auth: AuthContext) {
    return this.tenant(auth, async (tx) => {
      const user = (await repo.getMe(tx, auth.userId)) ?? raise();
      return {
        format: 'jobforge-user-export' as const,
        version: 1,
        exported_at: new Date().toISOString(),
        user,
        ...(await repo.exportAll(tx, auth.userId)),
      };
    });
  }
}

const raise = (): never => {
  throw notFound('account');
};

/** For other features, in their own transaction: the account as `/users/me` shows it. */
export const findUser = repo.getMe;
