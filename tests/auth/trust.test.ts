import { describe, expect, it } from '@jest/globals';
import { ROUTER_CREDENTIAL_HEADER, signRouterCredential } from '@pyairtable/common/identity';
import { useGraph } from '../support/use-graph.js';
import { errorCodes, graphql, register } from '../support/client.js';

const graph = useGraph();

const SESSIONS = '{ sessions { id } }';

async function postToSubgraph(headers: Record<string, string>) {
  const response = await fetch(`${graph.subgraphUrls.auth}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: SESSIONS }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } };
}

describe('identity between router and subgraphs', () => {
  it('ignores identity headers a client sends to the router', async () => {
    const victim = await register(graph.routerUrl);
    const forged = await signRouterCredential('a-guessed-secret-that-is-long-enough-000', {
      identity: { userId: victim.user.id, email: victim.user.email, role: 'ADMIN', sessionId: 'x', tokenExpiresAt: 0 },
      clientIp: null,
      userAgent: null,
    });
    const response = await graphql(
      graph.routerUrl,
      SESSIONS,
      {},
      {
        headers: { 'x-user-id': victim.user.id, 'x-user-role': 'ADMIN', [ROUTER_CREDENTIAL_HEADER]: forged },
      },
    );
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('makes a subgraph refuse GraphQL requests without the router’s credential, or with a forged one', async () => {
    const missing = await postToSubgraph({});
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const forged = await signRouterCredential('not-the-router-secret-but-long-enough-1234', { identity: null, clientIp: null, userAgent: null });
    const wrongSecret = await postToSubgraph({ [ROUTER_CREDENTIAL_HEADER]: forged });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.data).toBeUndefined();
  });

  it('lets the subgraph answer a request the router signed (so the refusals above are not blanket)', async () => {
    const credential = await signRouterCredential(graph.env['ROUTER_SHARED_SECRET'] ?? '', { identity: null, clientIp: null, userAgent: null });
    const response = await postToSubgraph({ [ROUTER_CREDENTIAL_HEADER]: credential });
    expect(response.status).toBe(200);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps /health, /ready and /metrics open on the subgraph', async () => {
    for (const path of ['/health', '/ready', '/live', '/metrics']) {
      expect((await fetch(`${graph.subgraphUrls.auth}${path}`)).status).toBe(200);
    }
  });
});
