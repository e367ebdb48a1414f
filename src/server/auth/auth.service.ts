import { createHash, randomUUID } from 'node:crypto';
import type { Session } from '../../contracts/auth.ts';
import type { User } from '../../contracts/users.ts';
import type { Config } from '../config.ts';
import type { Database, Tx } from '../db/database.ts';
import {
  AppError,
  conflict,
  invalidCredentials,
  tooManyRequests,
  unauthorized,
} from '../http/errors.ts';
import * as repo from './auth.repository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { AuthContext } from './tenant.ts';
import type { TokenService } from './tokens.ts';
import { hashRefreshToken, newRefreshToken, refreshTokenUser } from './tokens.ts';

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

/** A new session: the body for the client and the refresh token for cookie or body. */
export interface Issued {
  session: Omit<Session, 'refresh_token'>;
  refreshToken: string;
}

const throttleKey = (kind: 'account' | 'address', value: string) =>
  createHash('sha256').update(`${kind}:${value}`).digest();

export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    private readonly login_: Config['login'],
  ) {}

  async register(
    input: { email: string; password: string; first_name: string; last_name: string },
    client: ClientInfo,
  ): Promise<Issued> {
    const passwordHash = await hashPassword(input.password);
    const id = randomUUID();
    return this.db.withUser(id, async (tx) => {
      if (await repo.emailTaken(tx, input.email)) throw emailTaken();
      const user = await repo
        .insertUser(tx, {
          id,
          email: input.email,
          passwordHash,
          firstName: input.first_name.trim(),
          lastName: input.last_name.trim(),
        })
        .catch((err: unknown) => {
          // Two registrations racing for one email: the unique index decides.
          if ((err as { code?: string }).code === '23505') throw emailTaken();
          throw err;
        });
      return this.startSession(tx, user, client);
    });
  }

  async login(input: { email: string; password: string }, client: ClientInfo): Promise<Issued> {
    const accountKey = throttleKey('account', input.email.trim().toLowerCase());
    const addressKey = throttleKey('address', client.ip);
    const { windowSeconds, maxFailuresPerAccount, maxFailuresPerAddress } = this.login_;

    const found = await this.db.withUser(null, async (tx) => {
      for (const s of await repo.throttleState(tx, [accountKey, addressKey], windowSeconds)) {
        const max = Buffer.from(s.key).equals(accountKey)
          ? maxFailuresPerAccount
          : maxFailuresPerAddress;
        if (s.failures >= max) {
          throw tooManyRequests(
            s.retry_after,
            'Too many failed sign-in attempts. Wait a few minutes and try again.',
          );
        }
      }
      return repo.lookupForLogin(tx, input.email.trim());
    });

    const ok = await verifyPassword(found?.password_hash, input.password);
    if (!ok || !found) {
      await this.db.withUser(null, (tx) =>
        repo.recordFailure(tx, [accountKey, addressKey], windowSeconds),
      );
      throw invalidCredentials();
    }
    if (!found.is_active) {
      throw new AppError(
        403,
        'account_disabled',
        'This account has been disabled. Contact the operator of this Job Forge.',
      );
    }
    return this.db.withUser(found.id, async (tx) => {
      await repo.clearFailures(tx, accountKey);
      const user = await repo.findUser(tx, found.id);
      if (!user) throw invalidCredentials();
      return this.startSession(tx, user, client);
    });
  }

  /** Rotates a refresh token. A token used twice revokes its whole session (family). */
  async refresh(token: string): Promise<Issued> {
    const userId = refreshTokenUser(token);
    if (!userId) throw sessionEnded();
    const hash = hashRefreshToken(token);
    const outcome = await this.db.withUser(userId, async (tx) => {
      const sessionId = await repo.consumeRefreshToken(tx, hash);
      if (!sessionId) {
        const known = await repo.findRefreshToken(tx, hash);
        if (known?.used_at) await repo.revokeSession(tx, known.session_id, 'refresh_token_reuse');
        return undefined; // commit the revocation, then refuse
      }
      const user = await repo.findUser(tx, userId);
      if (!user?.is_active) return undefined;
      await repo.touchSession(tx, sessionId);
      return this.issue(tx, user, sessionId);
    });
    if (!outcome) throw sessionEnded();
    return outcome;
  }

  /** Ends the session named by a refresh token or by the caller's access token. */
  async logout(refreshToken: string | undefined, auth: AuthContext | undefined): Promise<void> {
    if (auth) {
      await this.db.withUser(auth.userId, (tx) => repo.revokeSession(tx, auth.sessionId, 'logout'));
      return;
    }
    const userId = refreshToken ? refreshTokenUser(refreshToken) : undefined;
    if (!refreshToken || !userId) return;
    await this.db.withUser(userId, async (tx) => {
      const known = await repo.findRefreshToken(tx, hashRefreshToken(refreshToken));
      if (known) await repo.revokeSession(tx, known.session_id, 'logout');
    });
  }

  async checkPassword(tx: Tx, userId: string, password: string): Promise<void> {
    const { rows } = await tx.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [userId],
    );
    if (!(await verifyPassword(rows[0]?.password_hash, password))) {
      throw new AppError(403, 'wrong_password', 'The password is incorrect.', {
        password: 'is incorrect',
      });
    }
  }

  private async startSession(tx: Tx, user: User, client: ClientInfo): Promise<Issued> {
    const sessionId = await repo.insertSession(tx, { userId: user.id, ...client });
    return this.issue(tx, user, sessionId);
  }

  private async issue(tx: Tx, user: User, sessionId: string): Promise<Issued> {
    const refreshToken = newRefreshToken(user.id);
    await repo.insertRefreshToken(tx, {
      hash: hashRefreshToken(refreshToken),
      userId: user.id,
      sessionId,
      ttlSeconds: this.tokens.refreshTtlSeconds,
    });
    const accessToken = await this.tokens.signAccess({ userId: user.id, sessionId });
    return {
      session: {
        user,
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: this.tokens.accessTtlSeconds,
      },
      refreshToken,
    };
  }
}

const emailTaken = () =>
  conflict('email_taken', 'An account with this email already exists.', {
    email: 'is already registered',
  });

const sessionEnded = () => unauthorized('Your session has ended. Please sign in again.');
