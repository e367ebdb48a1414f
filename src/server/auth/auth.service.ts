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

/**
 * Hashed throttle keys. A sign-in counts against its (account, address) pair and its address;
 * a registration against its address (decision 065). The NUL cannot occur in an email or an
 * address, so no two pairs share a key.
 */
const throttleKey = (kind: 'pair' | 'address' | 'register', ...parts: string[]) =>
  createHash('sha256')
    .update(`${kind}:${parts.join('\u0000')}`)
    .digest();

const HOUR = 3600;

export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    config: Pick<Config, 'login' | 'refreshReuseGraceSeconds'>,
  ) {
    this.login_ = config.login;
    this.refreshGraceSeconds = config.refreshReuseGraceSeconds;
  }

  private readonly login_: Config['login'];
  private readonly refreshGraceSeconds: number;

  async register(
    input: { email: string; password: string; first_name: string; last_name: string },
    client: ClientInfo,
  ): Promise<Issued> {
    const perHour = this.login_.registrationsPerAddressPerHour;
    if (perHour > 0) {
      // Counted before argon2 hashes anything: a flood of sign-ups costs one row update each.
      const r = await this.db.withUser(null, (tx) =>
        repo.reserveInWindow(tx, throttleKey('register', client.ip), perHour, HOUR),
      );
      if (!r.admitted) {
        throw tooManyRequests(
          r.retryAfter,
          `Too many sign-ups from your address in the last hour. Try again in ${minutes(r.retryAfter)}.`,
        );
      }
    }
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

  /**
   * The attempt is counted (for its address and its (account, address) pair) before argon2 runs,
   * in its own committed transaction: parallel attempts cannot all pass a check that none has
   * recorded yet, and a refused one costs no hashing. A correct password takes its count back.
   */
  async login(input: { email: string; password: string }, client: ClientInfo): Promise<Issued> {
    const email = input.email.trim();
    const pairKey = throttleKey('pair', email.toLowerCase(), client.ip);
    const addressKey = throttleKey('address', client.ip);
    const { windowSeconds, maxFailuresPerAccount, maxFailuresPerAddress } = this.login_;

    const found = await this.db.withUser(null, async (tx) => {
      // Address first, then pair: every sign-in locks the two rows in the same order.
      const address = await repo.reserveInWindow(
        tx,
        addressKey,
        maxFailuresPerAddress,
        windowSeconds,
      );
      if (!address.admitted) {
        throw tooManyRequests(
          address.retryAfter,
          `Too many failed sign-in attempts from your address. Try again in ${minutes(address.retryAfter)}.`,
        );
      }
      const pair = await repo.reservePair(tx, pairKey, maxFailuresPerAccount, windowSeconds);
      if (!pair.admitted) {
        throw tooManyRequests(
          pair.retryAfter,
          `Too many failed sign-in attempts for this account from your address. Try again in ${minutes(pair.retryAfter)}.`,
        );
      }
      return repo.lookupForLogin(tx, email);
    });

    const ok = await verifyPassword(found?.password_hash, input.password);
    if (!ok || !found) {
      await this.db.withUser(null, (tx) => repo.forgetOldAttempts(tx));
      throw invalidCredentials();
    }
    await this.db.withUser(null, async (tx) => {
      await repo.releaseAttempt(tx, addressKey);
      await repo.clearThrottle(tx, pairKey);
    });
    if (!found.is_active) {
      throw new AppError(
        403,
        'account_disabled',
        'This account has been disabled. Contact the operator of this Job Forge.',
      );
    }
    return this.db.withUser(found.id, async (tx) => {
      const user = await repo.findUser(tx, found.id);
      if (!user) throw invalidCredentials();
      return this.startSession(tx, user, client);
    });
  }

  /**
   * Rotates a refresh token. A token used twice revokes its whole session (family), except within
   * the grace window of its own rotation and from the session's own client: that is a second tab
   * (or a retried request) racing the first, and it gets the session's current tokens.
   */
  async refresh(token: string, client: ClientInfo): Promise<Issued> {
    const userId = refreshTokenUser(token);
    if (!userId) throw sessionEnded();
    const hash = hashRefreshToken(token);
    const outcome = await this.db.withUser(userId, async (tx) => {
      const successor = newRefreshToken(userId);
      const sessionId = await repo.consumeRefreshToken(
        tx,
        hash,
        this.tokens.sealSuccessor(successor, userId),
      );
      if (sessionId) {
        const user = await repo.findUser(tx, userId);
        if (!user?.is_active) return undefined;
        await repo.touchSession(tx, sessionId);
        await repo.forgetSuccessors(tx, sessionId, this.refreshGraceSeconds);
        return this.issue(tx, user, sessionId, successor);
      }
      const known = await repo.findRefreshToken(tx, hash);
      if (!known?.used_at) return undefined; // unknown or expired: nothing to revoke
      const current = await this.currentTokens(tx, userId, known, client);
      if (current) return current;
      await repo.revokeSession(tx, known.session_id, 'refresh_token_reuse');
      return undefined; // commit the revocation, then refuse
    });
    if (!outcome) throw sessionEnded();
    return outcome;
  }

  /**
   * For a token reused within the grace window by its session's client: the session's current
   * refresh token (followed through the successors rotated since, a few hops at most) and a fresh
   * access token. Undefined when the reuse does not qualify; the caller then revokes.
   */
  private async currentTokens(
    tx: Tx,
    userId: string,
    reused: repo.KnownRefreshToken,
    client: ClientInfo,
  ): Promise<Issued | undefined> {
    const sameClient =
      (client.userAgent?.slice(0, repo.USER_AGENT_KEPT) ?? null) === reused.session_user_agent;
    if (this.refreshGraceSeconds === 0 || reused.session_revoked || !sameClient) return undefined;
    let link: repo.KnownRefreshToken | undefined = reused;
    for (let hop = 0; hop < 4 && link; hop++) {
      const within =
        link.used_seconds_ago !== null && link.used_seconds_ago <= this.refreshGraceSeconds;
      if (!within || !link.successor_sealed) return undefined;
      const next = this.tokens.openSuccessor(link.successor_sealed, userId);
      if (!next) return undefined;
      link = await repo.findRefreshToken(tx, hashRefreshToken(next));
      if (link && !link.used_at && !link.expired && link.session_id === reused.session_id) {
        const user = await repo.findUser(tx, userId);
        if (!user?.is_active) return undefined;
        return this.present(user, reused.session_id, next);
      }
    }
    return undefined;
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

  private async issue(
    tx: Tx,
    user: User,
    sessionId: string,
    refreshToken = newRefreshToken(user.id),
  ): Promise<Issued> {
    await repo.insertRefreshToken(tx, {
      hash: hashRefreshToken(refreshToken),
      userId: user.id,
      sessionId,
      ttlSeconds: this.tokens.refreshTtlSeconds,
    });
    return this.present(user, sessionId, refreshToken);
  }

  private async present(user: User, sessionId: string, refreshToken: string): Promise<Issued> {
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

const minutes = (seconds: number) => {
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? 'a minute' : m < 120 ? `${m} minutes` : `${Math.ceil(m / 60)} hours`;
};

const sessionEnded = () => unauthorized('Your session has ended. Please sign in again.');

/** For the account feature, in its own transaction: whether another account has this email. */
export const isEmailTaken = repo.emailTaken;
/** For the account feature: ends every session of the user but `keepSessionId`. */
export const revokeOtherSessions = repo.revokeOtherSessions;
