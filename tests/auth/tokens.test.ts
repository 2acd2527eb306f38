import { beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { generateSigningJwk } from '../support/graph.js';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, register, type AuthPayload } from '../support/client.js';
import { itemAt } from '../support/defined.js';

const graph = useGraph();
let account: AuthPayload & { password: string };
let signingJwk: JWK & { kid: string };

beforeAll(async () => {
  account = await register(graph.routerUrl);
  [signingJwk] = JSON.parse(graph.env['JWT_KEYS'] ?? '[]') as [JWK & { kid: string }];
});

const SESSIONS = 'query { sessions { id current } }';

async function signWith(jwk: JWK & { kid: string }, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(jwk, 'ES256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: jwk.kid, ...header }).sign(key);
}

function validClaims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const current = decodeJwt(account.accessToken);
  return { ...current, iat: now, exp: now + 300, jti: `test-${now}-${Math.random()}`, ...overrides };
}

async function expectRefused(token: string) {
  const response = await graphql(graph.routerUrl, SESSIONS, {}, { token });
  expect(response.status).toBe(401);
  expect(response.body.errors).toHaveLength(1);
  expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  expect(response.body.data).toBeUndefined();
}

describe('access tokens', () => {
  it('are ES256 JWTs with a kid and the claims API.md lists', () => {
    expect(decodeProtectedHeader(account.accessToken)).toMatchObject({ alg: 'ES256', kid: signingJwk.kid });
    const claims = decodeJwt(account.accessToken);
    expect(claims).toMatchObject({ sub: account.user.id, email: account.user.email, role: 'USER', iss: 'pyairtable-auth', aud: 'pyairtable-graph' });
    for (const claim of ['sid', 'jti', 'iat', 'exp']) expect(claims[claim]).toBeDefined();
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
  });

  it('are verifiable by anyone from the JWKS served by auth and by the router', async () => {
    for (const base of [graph.subgraphUrls.auth, graph.routerUrl]) {
      const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
      expect(jwks.keys.map((key) => key.kid)).toEqual([signingJwk.kid]);
      expect(jwks.keys[0]).not.toHaveProperty('d');
    }
  });

  it('a token signed by the right key with valid claims is accepted (the forgery checks below are meaningful)', async () => {
    const response = await graphql(graph.routerUrl, SESSIONS, {}, { token: await signWith(signingJwk, validClaims()) });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses a tampered token', async () => {
    const parts = account.accessToken.split('.');
    expect(parts).toHaveLength(3);
    const header = itemAt(parts, 0, 'the JWS header');
    const payload = itemAt(parts, 1, 'the JWS payload');
    const signature = itemAt(parts, 2, 'the JWS signature');
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(account.accessToken), role: 'ADMIN' })).toString('base64url');
    await expectRefused(`${header}.${forgedPayload}.${signature}`);
    expect(payload).not.toBe(forgedPayload);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await signWith(signingJwk, validClaims({ iat: now - 1000, exp: now - 100 })));
  });

  it('refuses alg "none"', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(validClaims())).toString('base64url');
    await expectRefused(`${header}.${payload}.`);
  });

  it('refuses a token signed by another key claiming the same kid', async () => {
    await expectRefused(await signWith(await generateSigningJwk(signingJwk.kid), validClaims()));
  });

  it('refuses a token for another audience and from another issuer', async () => {
    await expectRefused(await signWith(signingJwk, validClaims({ aud: 'some-other-api' })));
    await expectRefused(await signWith(signingJwk, validClaims({ iss: 'someone-else' })));
  });

  it('refuses a token issued in the future beyond the allowed clock skew (JWT_CLOCK_SKEW_SECONDS, 30 s), and accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await signWith(signingJwk, validClaims({ iat: now + 120, exp: now + 900 })));
    await expectRefused(await signWith(signingJwk, validClaims({ iat: now + 3600, exp: now + 4500 })));
    const skewed = await graphql(
      graph.routerUrl,
      SESSIONS,
      {},
      { token: await signWith(signingJwk, validClaims({ iat: now + 10, exp: now + 900 })) },
    );
    expect([skewed.status, skewed.body.errors]).toEqual([200, undefined]);
  });

  it('refuses a malformed Authorization header instead of treating it as anonymous', async () => {
    const response = await graphql(graph.routerUrl, SESSIONS, {}, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refresh tokens', () => {
  const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_PAYLOAD_FIELDS} } }`;

  it('rotate: each refresh returns a new pair and the old refresh token stops working; reuse revokes the family', async () => {
    const user = await register(graph.routerUrl);
    const first = await graphql<{ refreshToken: AuthPayload }>(graph.routerUrl, REFRESH, { token: user.refreshToken });
    const rotated = first.body.data?.refreshToken;
    expect(rotated?.refreshToken).toBeDefined();
    expect(rotated?.refreshToken).not.toBe(user.refreshToken);
    expect(decodeJwt(rotated?.accessToken ?? '').sid).toBe(decodeJwt(user.accessToken).sid);

    const reuse = await graphql(graph.routerUrl, REFRESH, { token: user.refreshToken });
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);

    // The reuse revoked the whole family: the successor and the family's access tokens are dead too.
    const successor = await graphql(graph.routerUrl, REFRESH, { token: rotated?.refreshToken });
    expect(errorCodes(successor)).toEqual(['UNAUTHENTICATED']);
    const access = await graphql(graph.routerUrl, SESSIONS, {}, { token: rotated?.accessToken });
    expect(access.status).toBe(401);
  });

  it('lets exactly one of two concurrent refreshes of one token win, and then treats the family as stolen', async () => {
    const user = await register(graph.routerUrl);
    const results = await Promise.all(
      [1, 2].map(() => graphql<{ refreshToken: AuthPayload }>(graph.routerUrl, REFRESH, { token: user.refreshToken })),
    );
    expect(results.filter((result) => result.body.data?.refreshToken)).toHaveLength(1);
    expect(results.flatMap(errorCodes)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an unknown refresh token', async () => {
    const response = await graphql(graph.routerUrl, REFRESH, { token: 'not-a-token' });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});
