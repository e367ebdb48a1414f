import { TokenService } from '../src/server/auth/tokens.ts';
import type { BenchUser } from './seed.ts';
import { SEARCH_TERMS, pick, prng, type Rng } from './text.ts';

export const ENDPOINTS = ['list', 'get', 'search'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** What one request is about: the same sequence for the HTTP and the driver run. */
export interface Target {
  user: BenchUser;
  token: string;
  applicationId: string;
  word: string;
}

export interface Workload {
  /** A picker per worker, each with its own seeded PRNG. */
  pickers(concurrency: number, endpoint: Endpoint): (() => Target)[];
}

/** Seconds the bench's access tokens stay valid: longer than any run. */
const TOKEN_TTL = 3600;

/**
 * Signs one access token per user with the secret the server is given, as a sign-in would:
 * the server verifies them, then checks the session row inside each request's transaction.
 */
export async function createWorkload(users: BenchUser[], secret: string): Promise<Workload> {
  const tokens = new TokenService(secret, TOKEN_TTL, TOKEN_TTL);
  const signed = await Promise.all(
    users.map((u) => tokens.signAccess({ userId: u.id, sessionId: u.sessionId })),
  );
  const words = SEARCH_TERMS.map((t) => t.word);
  const target = (rng: Rng): Target => {
    const i = Math.floor(rng() * users.length);
    const user = users[i]!;
    return {
      user,
      token: signed[i]!,
      applicationId: pick(rng, user.applicationIds),
      word: pick(rng, words),
    };
  };
  return {
    pickers(concurrency, endpoint) {
      const salt = ENDPOINTS.indexOf(endpoint) * 1000;
      return Array.from({ length: concurrency }, (_, worker) => {
        const rng = prng(7919 + salt + worker);
        return () => target(rng);
      });
    },
  };
}
