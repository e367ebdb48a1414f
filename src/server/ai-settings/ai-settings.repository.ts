import type { ProviderKindName } from '../../contracts/ai.ts';
import type { Tx } from '../db/database.ts';

export interface AiSettingsRow {
  provider: ProviderKindName | null;
  model: string | null;
  base_url: string | null;
  /** Sealed by SecretBox; only the service opens it. */
  api_key_encrypted: string | null;
  updated_at: string;
}

export async function find(tx: Tx, userId: string): Promise<AiSettingsRow | undefined> {
  const { rows } = await tx.query<AiSettingsRow>(
    `SELECT provider, model, base_url, api_key_encrypted, updated_at
       FROM user_ai_settings WHERE user_id = $1`,
    [userId],
  );
  return rows[0];
}

/** Writes the whole row; `apiKey: undefined` leaves the stored key as it is. */
export async function upsert(
  tx: Tx,
  userId: string,
  s: {
    provider: ProviderKindName | null;
    model: string | null;
    baseUrl: string | null;
    apiKeyEncrypted: string | null | undefined;
  },
): Promise<AiSettingsRow> {
  const { rows } = await tx.query<AiSettingsRow>(
    `INSERT INTO user_ai_settings (user_id, provider, model, base_url, api_key_encrypted)
     VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN $6 ELSE NULL END)
     ON CONFLICT (user_id) DO UPDATE
        SET provider = EXCLUDED.provider, model = EXCLUDED.model, base_url = EXCLUDED.base_url,
            api_key_encrypted = CASE WHEN $5 THEN EXCLUDED.api_key_encrypted
                                     ELSE user_ai_settings.api_key_encrypted END
     RETURNING provider, model, base_url, api_key_encrypted, updated_at`,
    [
      userId,
      s.provider,
      s.model,
      s.baseUrl,
      s.apiKeyEncrypted !== undefined,
      s.apiKeyEncrypted ?? null,
    ],
  );
  return rows[0]!;
}

/**
 * Counts one attempt under `key` in a fixed window and returns the count so far and the seconds
 * left in the window. Kept in auth_throttle (hashed keys, no user data) rather than in memory,
 * so that every instance behind a load balancer counts against one limit.
 */
export async function countAttempt(
  tx: Tx,
  key: Buffer,
  windowSeconds: number,
): Promise<{ count: number; retryAfter: number }> {
  const { rows } = await tx.query<{ count: number; retry_after: number }>(
    `INSERT INTO auth_throttle (key, failures, window_started_at) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN auth_throttle.window_started_at + make_interval(secs => $2) > now()
                       THEN auth_throttle.failures + 1 ELSE 1 END,
       window_started_at = CASE WHEN auth_throttle.window_started_at + make_interval(secs => $2) > now()
                       THEN auth_throttle.window_started_at ELSE now() END
     RETURNING failures AS count,
       extract(epoch FROM window_started_at + make_interval(secs => $2) - now())::float8 AS retry_after`,
    [key, windowSeconds],
  );
  return { count: rows[0]!.count, retryAfter: rows[0]!.retry_after };
}
