import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (seed-review #11).
// Algorithm.Argon2id is a const enum, which isolated modules cannot read: its value is 2.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

// Verified against when the email is unknown, so that both answers take the same time.
let dummy: Promise<string> | undefined;

let verifications = 0;

/**
 * argon2 verifications run by this process since it started: the throttle tests count them to
 * show that a refused attempt costs no hashing.
 */
export const passwordVerifications = (): number => verifications;

export async function verifyPassword(
  stored: string | undefined,
  password: string,
): Promise<boolean> {
  verifications += 1;
  if (stored === undefined) {
    dummy ??= hashPassword('not-a-real-password-used-for-timing');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
