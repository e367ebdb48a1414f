import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { SecretBox } from '../crypto/secret-box.ts';

const ISSUER = 'jobforge';
const AUDIENCE = 'jobforge-api';
const TYP = 'at+jwt';

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/**
 * Access tokens: short-lived HS256 JWTs. The algorithm, issuer, audience and type are pinned on
 * verification, so `alg: none`, another key or another kind of token is refused.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly successors: SecretBox;

  constructor(
    secret: string,
    readonly accessTtlSeconds: number,
    readonly refreshTtlSeconds: number,
  ) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'jobforge', 'access-token-hs256', 32));
    this.successors = new SecretBox(secret, 'refresh token successor');
  }

  /**
   * A rotated token's successor, sealed for its user, kept for the reuse grace window only
   * (auth.service.ts refresh). Its own key: an API-key ciphertext never opens as a token.
   */
  sealSuccessor(token: string, userId: string): string {
    return this.successors.encrypt(token, userId);
  }

  openSuccessor(sealed: string, userId: string): string | undefined {
    return this.successors.decrypt(sealed, userId);
  }

  signAccess(claims: AccessClaims): Promise<string> {
    return new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: TYP })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSeconds}s`)
      .sign(this.key);
  }

  /** The claims, or undefined for any token that is not a valid, current access token. */
  async verifyAccess(token: string): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TYP,
        requiredClaims: ['sub', 'sid', 'exp'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return undefined;
      return { userId: payload.sub, sessionId: payload.sid };
    } catch {
      return undefined;
    }
  }
}

/**
 * Refresh tokens are opaque: the user's id (so the lookup can run under that user's row-level
 * security) and 256 random bits. Only their SHA-256 is stored.
 */
export function newRefreshToken(userId: string): string {
  return `${userId}.${randomBytes(32).toString('base64url')}`;
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function refreshTokenUser(token: string): string | undefined {
  const m =
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/.exec(
      token,
    );
  return m?.[1];
}
