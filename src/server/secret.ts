import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './config.ts';

/** The shortest secret Job Forge signs with (as JOBFORGE_SECRET requires). */
export const MIN_SECRET_LENGTH = 32;

/**
 * JOBFORGE_SECRET when set; otherwise a secret generated on first start and kept (mode 0600) in
 * the data directory, so that sessions survive restarts. A file holding a shorter secret (edited
 * by hand, truncated by a full disk) is refused, never used and never silently replaced:
 * replacing it would sign everyone out and make stored API keys unreadable, the operator's call.
 */
export async function resolveSecret(
  configured: string | undefined,
  dataDir: string,
): Promise<string> {
  if (configured) return configured;
  const file = path.join(path.resolve(dataDir), 'secret');
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process won the race: use theirs (checked like any existing file).
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readSecret(file);
      if (theirs !== undefined) return theirs;
    }
    throw err;
  }
}

/** The file's secret, undefined when there is no file; a ConfigError when it is too short. */
async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const secret = text.trim();
  if (secret.length >= MIN_SECRET_LENGTH) return secret;
  throw new ConfigError([
    `${file}: holds a secret of ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are needed. ` +
      'Replace it with a long random value (e.g. `openssl rand -base64 48 > secret`), or set ' +
      'JOBFORGE_SECRET, or delete the file to have one generated. A new secret signs everyone ' +
      'out and makes the API keys users stored unreadable (they enter them again).',
  ]);
}
