import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Identity, RevocationStore, UserRole } from '@pyairtable/common/identity';

export class InvalidAccessToken extends Error {}

interface AccessTokenClaims extends JWTPayload {
  email?: unknown;
  role?: unknown;
  sid?: unknown;
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
    private readonly revocations: RevocationStore,
  ) {
    this.keySet = createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000, timeoutDuration: 3_000 });
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
    if (await this.revocations.isRevoked({ sessionId: sid, userId: sub, issuedAt: iat })) {
      throw new InvalidAccessToken('ERR_TOKEN_REVOKED');
    }
    return { userId: sub, email, role, sessionId: sid, tokenExpiresAt: exp };
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}
