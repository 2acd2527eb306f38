import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, type JWK } from 'jose';
import type { HttpService } from '@pyairtable/common/http';
import { createAuthSubgraph } from '@pyairtable/auth-subgraph/server';
import { loadAuthConfig } from '@pyairtable/auth-subgraph/config';
import { generateSigningJwk } from '../support/graph.js';
import { useGraph } from '../support/use-graph.js';
import { graphql, login, register } from '../support/client.js';

let oldKey: JWK & { kid: string };
let rotatedAuth: HttpService | undefined;

beforeAll(async () => {
  oldKey = await generateSigningJwk('key-2026-01');
});
// Declared before the graph, so the rotated auth subgraph closes first.
afterAll(async () => {
  await rotatedAuth?.close();
});
const graph = useGraph(() => ({ JWT_KEYS: JSON.stringify([oldKey]) }));

async function accepted(token: string): Promise<boolean> {
  return (await graphql(graph.routerUrl, '{ sessions { id } }', {}, { token })).status === 200;
}

describe('signing-key rotation', () => {
  it('publishes old and new keys at once; the router picks up a new kid without a restart', async () => {
    const user = await register(graph.routerUrl);
    expect(decodeProtectedHeader(user.accessToken).kid).toBe('key-2026-01');
    expect(await accepted(user.accessToken)).toBe(true);

    // Redeploy auth with a new signing key first and the old one kept for verification only.
    const newKey = await generateSigningJwk('key-2026-02');
    const { d: _privatePart, ...oldPublicKey } = oldKey;
    const authPort = Number(new URL(graph.subgraphUrls.auth).port);
    await graph.services.auth.close();
    const rotated = await createAuthSubgraph(loadAuthConfig({ ...graph.env, JWT_KEYS: JSON.stringify([newKey, oldPublicKey]) }));
    rotatedAuth = rotated.service;
    await rotatedAuth.listen(authPort, '127.0.0.1');

    const jwks = (await (await fetch(`${graph.subgraphUrls.auth}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual(['key-2026-02', 'key-2026-01']);

    // jose refetches a JWKS on an unknown kid at most once per cooldown (5 s in the router).
    await new Promise((resolve) => setTimeout(resolve, 5_200));
    const signedIn = (await login(graph.routerUrl, user.user.email, user.password)).body.data?.login;
    expect(decodeProtectedHeader(signedIn?.accessToken ?? '').kid).toBe('key-2026-02');
    expect(await accepted(signedIn?.accessToken ?? '')).toBe(true);
    expect(await accepted(user.accessToken)).toBe(true);
  });
});
