import { webcrypto } from 'node:crypto';
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

/** The HMAC keys made from each secret: importing a key costs more than the HMAC of a credential. */
const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

function keyFrom(secret: string): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, key);
  }
  return key;
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
    .sign(await keyFrom(secret));
}

/**
 * How long the router sends the same credential for the same origin: a subgraph verifies a credential once and then
 * remembers it, so reusing one spares both sides an HMAC per request. Well within LIFETIME_SECONDS, so a reused
 * credential still outlives any fetch made with it (SUBGRAPH_TIMEOUT_MS is seconds).
 */
const REUSE_SECONDS = 20;
/** Origins whose credential the router keeps for reuse, at most (the oldest goes first). */
const MAX_REUSED_CREDENTIALS = 10_000;

/**
 * Signs the credential of an origin, or hands out the one signed for the same origin (`originKey` names it) less than
 * REUSE_SECONDS ago.
 */
export function routerCredentialSigner(secret: string): (origin: RequestOrigin, originKey: string) => Promise<string> {
  const signed = new Map<string, { credential: Promise<string>; reusableUntilMs: number }>();
  return (origin, originKey) => {
    const now = Date.now();
    const reusable = signed.get(originKey);
    if (reusable && reusable.reusableUntilMs > now) return reusable.credential;
    signed.delete(originKey);
    if (signed.size >= MAX_REUSED_CREDENTIALS) signed.delete(signed.keys().next().value ?? '');
    const credential = signRouterCredential(secret, origin);
    signed.set(originKey, { credential, reusableUntilMs: now + REUSE_SECONDS * 1000 });
    // A failed signature is not handed out again.
    credential.catch(() => {
      if (signed.get(originKey)?.credential === credential) signed.delete(originKey);
    });
    return credential;
  };
}

export class InvalidRouterCredential extends Error {}

async function verifiedClaims(secret: string, credential: string | undefined): Promise<{ origin: RequestOrigin; validUntilMs: number }> {
  if (!credential) throw new InvalidRouterCredential('missing router credential');
  try {
    const { payload } = await jwtVerify<CredentialClaims>(credential, await keyFrom(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      maxTokenAge: `${LIFETIME_SECONDS}s`,
    });
    const issuedAt = payload.iat ?? 0;
    return {
      origin: { identity: payload.usr ?? null, clientIp: payload.ip ?? null, userAgent: payload.ua ?? null },
      validUntilMs: Math.min(payload.exp ?? issuedAt + LIFETIME_SECONDS, issuedAt + LIFETIME_SECONDS) * 1000,
    };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new InvalidRouterCredential(error.code);
    throw error;
  }
}

/** Verifies the router's credential; throws InvalidRouterCredential when absent, forged or stale. */
export async function verifyRouterCredential(secret: string, credential: string | undefined): Promise<RequestOrigin> {
  return (await verifiedClaims(secret, credential)).origin;
}

/** Verified credentials a subgraph remembers, at most (the oldest goes first). */
const MAX_REMEMBERED_CREDENTIALS = 10_000;

/**
 * verifyRouterCredential, remembering each verified credential until it expires: the router sends one credential
 * with every fetch of a request, and the same one for the same caller for 20 seconds, so most are seen again. The
 * verification itself is remembered from the start, so the fetches that bring a new credential at the same moment
 * share one.
 */
export function routerCredentialVerifier(secret: string): (credential: string | undefined) => Promise<RequestOrigin> {
  const verified = new Map<string, Promise<{ origin: RequestOrigin; validUntilMs: number }>>();
  const verifyAndRemember = (credential: string) => {
    verified.delete(credential);
    if (verified.size >= MAX_REMEMBERED_CREDENTIALS) verified.delete(verified.keys().next().value ?? '');
    const claims = verifiedClaims(secret, credential);
    verified.set(credential, claims);
    // A refused credential is not remembered.
    claims.catch(() => {
      if (verified.get(credential) === claims) verified.delete(credential);
    });
    return claims;
  };
  return async (credential) => {
    if (credential === undefined) return (await verifiedClaims(secret, credential)).origin;
    const remembered = verified.get(credential);
    const claims = remembered && (await remembered).validUntilMs > Date.now() ? remembered : verifyAndRemember(credential);
    return { ...(await claims).origin };
  };
}
