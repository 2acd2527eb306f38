import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ERRORS } from '../errors/registry.js';

/** The header the router puts on every subgraph request: a short-lived token only it can sign. */
export const ROUTER_CREDENTIAL_HEADER = 'x-router-credential';

const ISSUER = 'pyairtable-router';
const AUDIENCE = 'pyairtable-subgraphs';
const LIFETIME_SECONDS = 60;

export type UserRole = 'USER' | 'ADMIN';

/** Who made a request, as verified by the router from the access token. */
export interface Identity {
  userId: string;
  email: string;
  role: UserRole;
  sessionId: string;
  /** When the access token that proved this identity expires (seconds since the epoch). */
  tokenExpiresAt: number;
}

/** What the router vouches for on each subgraph request: the caller (if signed in) and where it came from. */
export interface RequestOrigin {
  identity: Identity | null;
  clientIp: string | null;
  userAgent: string | null;
}

/** The signed-in caller, or UNAUTHENTICATED for an anonymous request. */
export function requireIdentity(origin: RequestOrigin): Identity {
  if (!origin.identity) throw ERRORS.UNAUTHENTICATED('Sign in first');
  return origin.identity;
}

interface CredentialClaims {
  usr?: Identity;
  ip?: string;
  ua?: string;
}

function keyFrom(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signRouterCredential(secret: string, origin: RequestOrigin): Promise<string> {
  const claims: CredentialClaims = {};
  if (origin.identity) claims.usr = origin.identity;
  if (origin.clientIp) claims.ip = origin.clientIp;
  if (origin.userAgent) claims.ua = origin.userAgent.slice(0, 512);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(keyFrom(secret));
}

export class InvalidRouterCredential extends Error {}

/** Verifies the router's credential; throws InvalidRouterCredential when absent, forged or stale. */
export async function verifyRouterCredential(secret: string, credential: string | undefined): Promise<RequestOrigin> {
  if (!credential) throw new InvalidRouterCredential('missing router credential');
  try {
    const { payload } = await jwtVerify<CredentialClaims>(credential, keyFrom(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      maxTokenAge: `${LIFETIME_SECONDS}s`,
    });
    return { identity: payload.usr ?? null, clientIp: payload.ip ?? null, userAgent: payload.ua ?? null };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new InvalidRouterCredential(error.code);
    throw error;
  }
}
