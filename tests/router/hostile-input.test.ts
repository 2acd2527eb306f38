/**
 * What an outside scanner (graphql-cop and the like) throws at the production router: each probe is refused with
 * a code before any subgraph is called.
 */
import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { aboutResponse, errorCodes, graphql, randomClientIp, type GraphQLResponse } from '../support/client.js';
import { graphqlRequestsServed } from '../support/metrics.js';

const graph = useGraph({ NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '100000' });

/** GraphQL requests every subgraph has answered, summed from their own metrics. */
const subgraphRequestsServed = () => graphqlRequestsServed(...Object.values(graph.subgraphUrls));

/** Runs `probe` and asserts that no subgraph answered a GraphQL request meanwhile. */
async function withoutSubgraphs<T>(probe: () => Promise<T>): Promise<T> {
  const before = await subgraphRequestsServed();
  const result = await probe();
  expect(await subgraphRequestsServed()).toBe(before);
  return result;
}

async function post(body: string, contentType: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(`${graph.routerUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-forwarded-for': randomClientIp(), ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

function expectRefused(response: GraphQLResponse, code: string, message: RegExp): void {
  aboutResponse(response, () => {
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual([code]);
    expect(response.body.errors?.[0]?.message).toMatch(message);
    expect(response.body.data).toBeUndefined();
  });
}

/** A query that reaches a subgraph when it is allowed (me is answered by auth and users). */
const REACHES_A_SUBGRAPH = 'me { id }';

describe('the production router refuses, before any subgraph is called', () => {
  it('a flood of __typename aliases (they count like any alias)', async () => {
    const aliases = Array.from({ length: 101 }, (_, index) => `alias${index}:__typename`).join(' ');
    const response = await withoutSubgraphs(() => graphql(graph.routerUrl, `query cop { ${aliases} ${REACHES_A_SUBGRAPH} }`));
    expectRefused(response, 'GRAPHQL_VALIDATION_FAILED', /alias/i);
  });

  it('a batch, even a small one: batching is off unless ALLOW_BATCHED_REQUESTS is set', async () => {
    for (const size of [10, 1]) {
      const batch = JSON.stringify(Array(size).fill({ query: `{ __typename ${REACHES_A_SUBGRAPH} }` }));
      const response = await withoutSubgraphs(() => post(batch, 'application/json'));
      expectRefused(response, 'BAD_USER_INPUT', /batch/i);
    }
  });

  it.each([
    ['unknown', '@aa'],
    ['known', '@include(if: true)'],
  ])('ten copies of one %s directive, with one error for the lot', async (_kind, directive) => {
    const response = await withoutSubgraphs(() => graphql(graph.routerUrl, `query cop { __typename ${directive.repeat(10)} ${REACHES_A_SUBGRAPH} }`));
    expectRefused(response, 'GRAPHQL_VALIDATION_FAILED', /directive/i);
  });

  it('ten directives over GET too', async () => {
    const query = encodeURIComponent(`query cop { __typename ${'@aa'.repeat(10)} }`);
    const response = await withoutSubgraphs(() =>
      fetch(`${graph.routerUrl}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true', 'x-forwarded-for': randomClientIp() } }),
    );
    const body = (await response.json()) as GraphQLResponse['body'];
    expect([response.status, body.errors?.map((error) => error.extensions?.['code'])]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
  });

  it.each(['subscription { __typename }', 'subscription Watch { me { id } }'])('a subscription: %s', async (query) => {
    const response = await withoutSubgraphs(() => graphql(graph.routerUrl, query));
    expectRefused(response, 'GRAPHQL_VALIDATION_FAILED', /subscription/i);
  });

  it.each(['{ __schema { queryType { name } } }', '{ __type(name: "User") { fields { name } } }'])('introspection: %s', async (query) => {
    const response = await withoutSubgraphs(() => graphql(graph.routerUrl, query));
    expectRefused(response, 'GRAPHQL_VALIDATION_FAILED', /introspection/i);
  });

  it('with no field suggestions ("Did you mean …") that would reveal the schema', async () => {
    const response = await withoutSubgraphs(() => graphql(graph.routerUrl, '{ mee { id } sesions { id } }'));
    aboutResponse(response, () => {
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
      expect(JSON.stringify(response.body)).not.toMatch(/did you mean|"me"|"sessions"/i);
    });
  });

  it.each([
    ['without a preflight header (a cross-site GET)', {}, 400],
    ['with one', { 'apollo-require-preflight': 'true' }, 405],
  ])('a mutation over GET, %s', async (_kind, headers, status) => {
    const url = `${graph.routerUrl}/graphql?query=${encodeURIComponent('mutation { logout }')}`;
    const response = await withoutSubgraphs(() => fetch(url, { headers: { 'x-forwarded-for': randomClientIp(), ...headers } }));
    const body = (await response.json()) as GraphQLResponse['body'];
    expect([response.status, body.errors?.map((error) => error.extensions?.['code'])]).toEqual([status, ['BAD_USER_INPUT']]);
  });

  it.each([
    ['form-encoded', 'application/x-www-form-urlencoded', `query=${encodeURIComponent(`{ ${REACHES_A_SUBGRAPH} }`)}`],
    ['text/plain', 'text/plain', JSON.stringify({ query: `{ ${REACHES_A_SUBGRAPH} }` })],
    ['multipart', 'multipart/form-data; boundary=x', `--x\r\ncontent-disposition: form-data; name="query"\r\n\r\n{ me { id } }\r\n--x--`],
  ])('a cross-site (CSRF-able) POST: %s', async (_kind, contentType, body) => {
    const response = await withoutSubgraphs(() => post(body, contentType));
    expectRefused(response, 'BAD_USER_INPUT', /cross-site request forgery|content-type/i);
  });
});

describe('what it still answers', () => {
  it('a few aliases and directives, and a plain query', async () => {
    const response = await graphql(graph.routerUrl, 'query Fine { a: __typename b: __typename @include(if: true) c: __typename @skip(if: false) }');
    aboutResponse(response, () => expect(response.body).toEqual({ data: { a: 'Query', b: 'Query', c: 'Query' } }));
  });
});
