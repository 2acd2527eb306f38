// @ts-check
// The configuration `npm run bench:gateway` gives GraphQL Hive Gateway: the identity work our router does on every
// request, done the same way with the same code (jose against the auth subgraph's JWKS, the in-memory revocation
// list of @pyairtable/common/identity kept current from Redis and auth's record, one router credential signed per
// request), so the two gateways are compared on equal work. Plain JavaScript, so Hive's CLI loads it without a
// TypeScript loader in the measured process. Settings come from the environment the benchmark sets: BENCH_JWKS_URL,
// BENCH_REVOCATION_FEED_URL, BENCH_REDIS_URL, BENCH_REDIS_KEY_PREFIX, BENCH_ROUTER_SHARED_SECRET, BENCH_JWT_ISSUER,
// BENCH_JWT_AUDIENCE and BENCH_HIVE_DEDUP ("off" turns Hive's in-flight deduplication of subgraph fetches off).
import { defineConfig } from '@graphql-hive/gateway';
import {
  ISSUED_AT_MS_CLAIM,
  ROUTER_CREDENTIAL_HEADER,
  RedisRevocationChannel,
  RevocationSync,
  signRouterCredential,
} from '@pyairtable/common/identity';
import { createLogger } from '@pyairtable/common/observability';
import { Redis } from 'ioredis';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** @param {string} name */
function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: npm run bench:gateway sets it`);
  return value;
}

const secret = setting('BENCH_ROUTER_SHARED_SECRET');
const issuer = setting('BENCH_JWT_ISSUER');
const audience = setting('BENCH_JWT_AUDIENCE');
const keySet = createRemoteJWKSet(new URL(setting('BENCH_JWKS_URL')), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000 });
const redis = new Redis(setting('BENCH_REDIS_URL'), { lazyConnect: false });
const logger = createLogger('hive-gateway', 'warn');
// The router's own settings: announcements from Redis pub/sub, a pull from auth every 2 s, 503 past 30 s stale.
const revocations = new RevocationSync({
  feedUrl: setting('BENCH_REVOCATION_FEED_URL'),
  routerSecret: secret,
  channel: new RedisRevocationChannel(redis, setting('BENCH_REDIS_KEY_PREFIX'), logger),
  pullIntervalMs: 2_000,
  maxStalenessMs: 30_000,
  logger,
});
revocations.start();

/** The credential of each request, signed once in onRequest and sent to every subgraph the plan calls. @type {WeakMap<Request, string>} */
const credentials = new WeakMap();

/**
 * Verifies the bearer token like router/src/access-tokens.ts and answers 401 before anything is parsed.
 * @param {string | null} authorization
 * @returns {Promise<import('@pyairtable/common/identity').Identity | null | 'refused'>}
 */
async function identityOf(authorization) {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) return 'refused';
  try {
    const { payload } = await jwtVerify(match[1], keySet, {
      issuer,
      audience,
      algorithms: ['ES256', 'EdDSA'],
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    });
    const { sub, email, role, sid, exp, iat } = payload;
    if (!sub || typeof email !== 'string' || (role !== 'USER' && role !== 'ADMIN') || typeof sid !== 'string' || !exp || !iat) return 'refused';
    const issuedAtMs = typeof payload[ISSUED_AT_MS_CLAIM] === 'number' ? payload[ISSUED_AT_MS_CLAIM] : iat * 1000;
    if (await revocations.isRevoked({ sessionId: sid, userId: sub, issuedAtMs })) return 'refused';
    return { userId: sub, email, role, sessionId: sid, tokenExpiresAt: exp };
  } catch {
    return 'refused';
  }
}

/** @type {import('@graphql-hive/gateway').GatewayPlugin} */
const identityPlugin = {
  async onRequest({ request, endResponse, fetchAPI }) {
    const identity = await identityOf(request.headers.get('authorization'));
    if (identity === 'refused') {
      const body = JSON.stringify({ errors: [{ message: 'Invalid, expired or revoked access token', extensions: { code: 'UNAUTHENTICATED' } }] });
      endResponse(new fetchAPI.Response(body, { status: 401, headers: { 'content-type': 'application/json' } }));
      return;
    }
    const credential = await signRouterCredential(secret, {
      identity,
      clientIp: request.headers.get('x-forwarded-for'),
      userAgent: request.headers.get('user-agent'),
    });
    credentials.set(request, credential);
  },
  async onDispose() {
    await revocations.stop();
    redis.disconnect();
  },
};

export const gatewayConfig = defineConfig({
  plugins: () => [identityPlugin],
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ [ROUTER_CREDENTIAL_HEADER]: credentials.get(request) }),
  },
  ...(process.env['BENCH_HIVE_DEDUP'] === 'off' ? { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } } : {}),
});
