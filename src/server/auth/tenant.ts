import type { Database, Tx } from '../db/database.ts';
import { unauthorized } from '../http/errors.ts';

export interface AuthContext {
  userId: string;
  sessionId: string;
}

/** Runs fn as the signed-in user: the one way a request reaches tenant data. */
export type Tenant = <T>(auth: AuthContext, fn: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * One transaction, user context set transaction-locally, and the session re-checked inside it:
 * a signed-out, password-changed or disabled account stops at its next request even though its
 * access token has not expired yet.
 *
 * A serialization failure or deadlock re-runs the whole transaction, session check and fn
 * (db.withUser, decision 064): fn must be safe to run again, with database work only inside it.
 * Send events, wake workers or call providers after tenant() resolves, never from fn. A database
 * that is down, still contended after the retries or too slow rejects with a DatabaseFailure,
 * which the error handler answers with 503.
 */
export function createTenant(db: Database): Tenant {
  return (auth, fn) =>
    db.withUser(auth.userId, async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>(
        `SELECT (u.is_active AND s.revoked_at IS NULL) AS ok
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1`,
        [auth.sessionId],
      );
      if (!rows[0]?.ok) throw unauthorized('Your session has ended. Please sign in again.');
      return fn(tx);
    });
}
