import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts small secrets kept in the database (users' LLM API keys) with AES-256-GCM under a key
 * derived by HKDF from the server secret, one key per purpose. The caller's context (the user's
 * id) is authenticated data: a ciphertext copied into another user's row does not decrypt.
 * Rotating JOBFORGE_SECRET makes stored keys unreadable; decrypt() then returns undefined and
 * the user is asked to enter the key again.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serverSecret: string, purpose: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', serverSecret, 'jobforge secret box', `${purpose} ${VERSION}`, 32),
    );
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${VERSION}.${sealed}`;
  }

  /** The plaintext, or undefined when the value was sealed under another secret or context. */
  decrypt(sealed: string, context: string): string | undefined {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || !data) return undefined;
    const raw = Buffer.from(data, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const body = raw.subarray(IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
