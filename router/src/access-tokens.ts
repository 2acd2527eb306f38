import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ISSUED_AT_MS_CLAIM, type Identity, type TokenToCheck, type UserRole } from '@pyairtable/common/identity';

export class InvalidAccessToken extends Error {}

interface AccessTokenClaims extends JWTPayload {
  email?: unknown;
  role?: unknown;
  sid?: unknown;
  [ISSUED_AT_MS_CLAIM]?: unknown;
}

/** The revocation list: held in memory, so a check costs no I/O. */
export interface RevocationCheck {
  isRevoked(token: TokenToCheck): Promise<boolean>;
}

const ACCEPTED_ALGORITHMS = ['ES256', 'EdDSA'];

function isRole(value: unknown): value is UserRole {
  return value === 'USER' || value === 'ADMIN';
}

/**
 * Verifies access tokens against the auth subgraph's JWKS (cached; refetched when a token names an
 * unknown kid, which is how a rotated-in key is picked up) and the revocation list.
 */
export class AccessTokenVerifier {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    jwksUrl: string,
    private readonly expected: { issuer: string; audience: string; clockSkewSeconds: number },
    private readonly revocations: RevocationCheck,
  ) {
    this.keySet = createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000, timeoutDuration: 3_000 });
  }

  /** Loads the signing keys unless they are already held: the router is ready once it has them. */
  async ensureSigningKeys(): Promise<void> {
    if (this.keySet.jwks() === undefined) await this.keySet.reload();
  }

  async verify(token: string): Promise<Identity> {
    let claims: AccessTokenClaims;
    try {
      ({ payload: claims } = await jwtVerify<AccessTokenClaims>(token, this.keySet, {
        issuer: this.expected.issuer,
        audience: this.expected.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new InvalidAccessToken(error.code);
      throw error;
    }
    const { sub, email, role, sid, exp, iat } = claims;
    if (!sub || typeof email !== 'string' || !isRole(role) || typeof sid !== 'string' || !exp || !iat) {
      throw new InvalidAccessToken('ERR_JWT_CLAIM_VALIDATION_FAILED');
    }
    // jose checks exp and nbf, not an iat in the future: a token dated ahead would outlive revocations keyed by time.
    if (iat > Math.floor(Date.now() / 1000) + this.expected.clockSkewSeconds) {
      throw new InvalidAccessToken('ERR_JWT_ISSUED_IN_THE_FUTURE');
    }
    const issuedAtMs = typeof claims[ISSUED_AT_MS_CLAIM] === 'number' ? claims[ISSUED_AT_MS_CLAIM] : iat * 1000;
    if (await this.revocations.isRevoked({ sessionId: sid, userId: sub, issuedAtMs })) {
      throw new InvalidAccessToken('ERR_TOKEN_REVOKED');
    }
    return { userId: sub, email, role, sessionId: sid, tokenExpiresAt: exp };
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}
