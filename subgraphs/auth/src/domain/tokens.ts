// Access tokens (signed JWTs) and opaque tokens: how they are made and how they are stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ISSUED_AT_MS_CLAIM, type UserRole } from '@pyairtable/common/identity';
import { SIGNING_ALGORITHM, type SigningKeys } from './signing-keys.js';

export interface TokenSettings {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface OpaqueToken {
  token: string;
  hash: string;
}

/** How opaque tokens (refresh tokens, the tokens of mailed links) are stored: their SHA-256, never themselves. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 256 random bits and their hash. */
export function newOpaqueToken(): OpaqueToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    readonly settings: TokenSettings,
  ) {}

  async accessToken(user: { id: string; email: string; role: UserRole }, sessionId: string): Promise<string> {
    // iat has one-second resolution; a role change's cut-off is compared with the millisecond (ISSUED_AT_MS_CLAIM).
    const issuedAtMs = Date.now();
    return new SignJWT({ email: user.email, role: user.role, sid: sessionId, [ISSUED_AT_MS_CLAIM]: issuedAtMs })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.keys.signingKid, typ: 'JWT' })
      .setSubject(user.id)
      .setJti(randomUUID())
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(Math.floor(issuedAtMs / 1000))
      .setExpirationTime(`${this.settings.accessTokenTtlSeconds}s`)
      .sign(this.keys.signingKey);
  }

  /** 256 random bits; only the hash is stored. */
  refreshToken(): OpaqueToken {
    return newOpaqueToken();
  }

  refreshTokenExpiry(from = new Date()): Date {
    return new Date(from.getTime() + this.settings.refreshTokenTtlSeconds * 1000);
  }

  /** How long a revocation must be remembered: as long as a token issued just before it stays valid. */
  get revocationTtlSeconds(): number {
    return this.settings.accessTokenTtlSeconds + 60;
  }

  get jwks() {
    return this.keys.jwks;
  }
}
