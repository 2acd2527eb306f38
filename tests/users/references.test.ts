import { beforeAll, describe, expect, it } from '@jest/globals';
import { ROUTER_CREDENTIAL_HEADER, signRouterCredential } from '@pyairtable/common/identity';
import { Redis } from 'ioredis';
import { useGraph } from '../support/use-graph.js';
import { runRedisUrl } from '../support/environment.js';
import { eventually } from '../support/eventually.js';
import { signUp, usersGroupBacklog, type Account } from './helpers.js';
import { counterValue } from '../support/metrics.js';

const graph = useGraph();
let accounts: Account[];
beforeAll(async () => {
  accounts = await Promise.all(Array.from({ length: 10 }, (_, index) => signUp(graph.routerUrl, { displayName: `Referenced ${index}` })));
  const redis = new Redis(runRedisUrl());
  try {
    // Quiet: no event is left for the background consumer, whose queries would blur the counts below.
    await eventually(
      () => usersGroupBacklog(redis),
      (backlog) => backlog === 0,
    );
  } finally {
    await redis.quit();
  }
});

/** Asks the users subgraph for User entities as the router does, and counts the SQL it ran to answer. */
async function resolveReferences(ids: string[]) {
  const usersUrl = graph.subgraphUrls.users;
  const queriesBefore = await counterValue(usersUrl, 'db_queries_total', { origin: 'request' });
  const credential = await signRouterCredential(graph.env['ROUTER_SHARED_SECRET'] ?? '', { identity: null, clientIp: null, userAgent: null });
  const response = await fetch(`${usersUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ROUTER_CREDENTIAL_HEADER]: credential },
    body: JSON.stringify({
      query: 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id displayName } } }',
      variables: { representations: ids.map((id) => ({ __typename: 'User', id })) },
    }),
  });
  const body = (await response.json()) as { data?: { _entities: Array<{ id: string; displayName: string } | null> }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return { entities: body.data?._entities, queries: (await counterValue(usersUrl, 'db_queries_total', { origin: 'request' })) - queriesBefore };
}

describe('User references in the users subgraph', () => {
  it('resolves any number of references with one query', async () => {
    const one = await resolveReferences([accounts[0]?.id ?? '']);
    const all = await resolveReferences(accounts.map((account) => account.id));
    expect(all.entities?.map((entity) => entity?.displayName)).toEqual(accounts.map((_, index) => `Referenced ${index}`));
    expect(one.queries).toBe(1);
    expect(all.queries).toBe(1);
  });

  it('resolves unknown users to null, catching up once for the whole batch', async () => {
    const unknown = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'not-a-uuid'];
    const { entities, queries } = await resolveReferences([accounts[1]?.id ?? '', ...unknown]);
    expect(entities).toEqual([{ id: accounts[1]?.id, displayName: 'Referenced 1' }, null, null, null]);
    expect(queries).toBe(2);
  });
});
