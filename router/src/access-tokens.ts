import { createRemoteJWKSet, errors as joseErrors, jwksCache, jwtVerify, type JWKSCacheInput, type JWTPayload } from 'jose';
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

/** How long the fetched signing keys are trusted before they are fetched again; a verified token no longer than that. */
const KEY_SET_MAX_AGE_MS = 10 * 60_000;
/** Verified tokens kept, at most (one per active session; the oldest goes first). */
const MAX_VERIFIED_TOKENS = 10_000;

/** A token whose signature and claims were checked: valid until `validUntilMs` unless revoked. */
interface VerifiedToken {
  identity: Identity;
  issuedAtMs: number;
  validUntilMs: number;
  /** When the signing keys it was checked against were fetched: a refetch (rotation, retirement) checks it again. */
  keySetFetchedAt: number | undefined;
}

function isRole(value: unknown): value is UserRole {
  return value === 'USER' || value === 'ADMIN';
}

/**
 * Verifies access tokens against the auth subgraph's JWKS (cached; refetched when a token names an
 * unknown kid, which is how a rotated-in key is picked up) and the revocation list.
 *
 * A client sends the same token with every request for its 15 minutes, so a verified token is remembered until it
 * expires (or the keys are fetched again) and its signature is not checked again; the revocation list is still
 * consulted on every request.
 */
export class AccessTokenVerifier {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;
  /** jose records here when it last fetched the keys. */
  private readonly keySetCache: JWKSCacheInput = {};
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    jwksUrl: string,
    private readonly expected: { issuer: string; audience: string; clockSkewSeconds: number },
    private readonly revocations: RevocationCheck,
  ) {
    this.keySet = createRemoteJWKSet(new URL(jwksUrl), {
      cacheMaxAge: KEY_SET_MAX_AGE_MS,
      cooldownDuration: 5_000,
      timeoutDuration: 3_000,
      [jwksCache]: this.keySetCache,
    });
  }

  /** Loads the signing keys unless they are already held: the router is ready once it has them. */
  async ensureSigningKeys(): Promise<void> {
    if (this.keySet.jwks() === undefined) await this.keySet.reload();
  }

  async verify(token: string): Promise<Identity> {
    let verified = this.verified.get(token);
    if (!verified || verified.validUntilMs <= Date.now() || verified.keySetFetchedAt !== this.keySetFetchedAt()) {
      this.verified.delete(token);
      verified = await this.verifySignatureAndClaims(token);
      if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value ?? '');
      this.verified.set(token, verified);
    }
    const { identity, issuedAtMs } = verified;
    if (await this.revocations.isRevoked({ sessionId: identity.sessionId, userId: identity.userId, issuedAtMs })) {
      throw new InvalidAccessToken('ERR_TOKEN_REVOKED');
    }
    return { ...identity };
  }

  private keySetFetchedAt(): number | undefined {
    return 'uat' in this.keySetCache ? this.keySetCache.uat : undefined;
  }

  private async verifySignatureAndClaims(token: string): Promise<VerifiedToken> {
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
    return {
      identity: { userId: sub, email, role, sessionId: sid, tokenExpiresAt: exp },
      issuedAtMs: typeof claims[ISSUED_AT_MS_CLAIM] === 'number' ? claims[ISSUED_AT_MS_CLAIM] : iat * 1000,
      validUntilMs: Math.min(exp * 1000, Date.now() + KEY_SET_MAX_AGE_MS),
      keySetFetchedAt: this.keySetFetchedAt(),
    };
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}
