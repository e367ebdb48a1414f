import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * JOBFORGE_SECRET when set; otherwise a secret generated on first start and kept (mode 0600) in
 * the data directory, so that sessions survive restarts.
 */
export async function resolveSecret(
  configured: string | undefined,
  dataDir: string,
): Promise<string> {
  if (configured) return configured;
  const file = path.join(path.resolve(dataDir), 'secret');
  try {
    const existing = (await fs.readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process won the race: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return (await fs.readFile(file, 'utf8')).trim();
    throw err;
  }
}
