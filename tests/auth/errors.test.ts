import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES } from '@pyairtable/common/errors';
import { useGraph } from '../support/use-graph.js';
import { errorCodes, graphql, register } from '../support/client.js';

const graph = useGraph();

async function post(body: string, contentType = 'application/json') {
  const response = await fetch(`${graph.routerUrl}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

describe('every GraphQL error carries a registry code', () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ['a syntax error', '{ sessions { id ', {}, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ nothingHere }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable of the wrong type', 'mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', { t: 42 }, 'BAD_USER_INPUT'],
    ['a missing variable', 'mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', {}, 'BAD_USER_INPUT'],
    ['a resolver refusal', '{ sessions { id } }', {}, 'UNAUTHENTICATED'],
    ['an unknown operation name', 'query A { sessions { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
  ];

  it.each(cases)('%s', async (_label, query, variables, code) => {
    const response =
      _label === 'an unknown operation name'
        ? await post(JSON.stringify({ query, operationName: 'B' }))
        : await graphql(graph.routerUrl, query, variables);
    expect(errorCodes(response as Parameters<typeof errorCodes>[0])).toEqual([code]);
    expect(ERROR_CODES).toContain(code);
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('answers malformed JSON with 400 and a code, not 500', async () => {
    const response = await post('{"query": "{ sessions { id } }"');
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers a body that is not an operation with 400 and a code', async () => {
    const response = await post(JSON.stringify({ notAQuery: true }));
    expect(response.status).toBe(400);
    expect(ERROR_CODES).toContain(response.body.errors?.[0]?.extensions?.['code']);
  });

  it('gives every error of a signed-in flow a code too (CONFLICT on a taken email)', async () => {
    const user = await register(graph.routerUrl);
    const again = await graphql(graph.routerUrl, 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email: user.user.email, password: 'long enough password' },
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
  });
});
