import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { errorCodes, graphql, randomClientIp } from '../support/client.js';
import { itemAt } from '../support/defined.js';
import { graphqlRequestsServed } from '../support/metrics.js';

const graph = useGraph({
  ENABLE_INTROSPECTION: 'true',
  RATE_LIMIT_PER_MINUTE: '8',
  MAX_QUERY_DEPTH: '8',
  MAX_ALIASES: '5',
  ALLOW_BATCHED_REQUESTS: 'true',
  MAX_BATCH_SIZE: '3',
});

/** Requests the auth subgraph has answered, from its own metrics. */
const authRequestsServed = () => graphqlRequestsServed(graph.subgraphUrls.auth);

/** me → workspaces → members → user → workspaces → …, `rounds` times: a legitimate-looking, ever deeper query. */
function nested(rounds: number): string {
  let selection = 'id';
  for (let round = 0; round < rounds; round += 1) selection = `workspaces { nodes { members { nodes { user { ${selection} } } } } }`;
  return `{ me { ${selection} } }`;
}

describe('operation limits', () => {
  it('refuses deep nesting before any subgraph is called', async () => {
    const before = await authRequestsServed();
    const response = await graphql(graph.routerUrl, nested(3));
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors?.[0]?.message).toMatch(/depth/i);
    expect(await authRequestsServed()).toBe(before);
    // One round is within the limit: refused only for want of a token, by the subgraph.
    expect(errorCodes(await graphql(graph.routerUrl, nested(1)))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an alias flood before any subgraph is called', async () => {
    const before = await authRequestsServed();
    const aliases = Array.from({ length: 20 }, (_, index) => `s${index}: sessions { id }`).join(' ');
    const response = await graphql(graph.routerUrl, `{ ${aliases} }`);
    expect(errorCodes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors?.[0]?.message).toMatch(/alias/i);
    expect(await authRequestsServed()).toBe(before);
  });

  it('refuses an oversized batch, and runs a small one', async () => {
    const operation = { query: '{ __typename }' };
    const post = (batch: unknown[]) =>
      fetch(`${graph.routerUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp() },
        body: JSON.stringify(batch),
      });
    const oversized = await post(Array(4).fill(operation));
    expect(oversized.status).toBe(400);
    expect(((await oversized.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const small = await post(Array(3).fill(operation));
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual(Array(3).fill({ data: { __typename: 'Query' } }));
  });
});

describe('per-client rate limit at the router', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-IP budget, other clients unaffected', async () => {
    const clientIp = randomClientIp();
    const responses = await Promise.all(Array.from({ length: 12 }, () => graphql(graph.routerUrl, '{ __typename }', {}, { clientIp })));
    const limited = responses.filter((response) => response.status === 429);
    expect(limited).toHaveLength(4);
    const firstLimited = itemAt(limited, 0, 'a 429 response');
    expect(Number(firstLimited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorCodes(firstLimited)).toEqual(['RATE_LIMITED']);
    expect(firstLimited.body.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThan(0);
    expect((await graphql(graph.routerUrl, '{ __typename }')).status).toBe(200);
  });
});
