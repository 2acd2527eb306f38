import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadRouterConfig } from '@pyairtable/router/config';
import { createRouter } from '@pyairtable/router/server';
import { graphql, randomClientIp, register, type AuthPayload } from '../support/client.js';
import { recordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { useGraph } from '../support/use-graph.js';

const HOLD_MS = 1_000;

describe('identical subgraph fetches in flight at once', () => {
  const graph = useGraph();
  let proxy: RecordingProxy;
  /** Routers whose users subgraph sits behind the holding proxy: deduplicating (the default) and not, batching (the default) and not. */
  const routers = { deduplicating: { url: '' }, plain: { url: '' }, unbatched: { url: '' } };
  const closers: Array<() => Promise<void>> = [];
  async function routerBehindProxy(overrides: Record<string, string>): Promise<string> {
    const router = await createRouter(
      loadRouterConfig({
        ...graph.env,
        SUBGRAPH_URL_AUTH: `${graph.subgraphUrls.auth}/graphql`,
        SUBGRAPH_URL_USERS: `${proxy.url}/graphql`,
        SUBGRAPH_URL_WORKSPACES: `${graph.subgraphUrls.workspaces}/graphql`,
        ...overrides,
      }),
    );
    closers.push(() => router.service.close());
    return (await router.service.listen(0, '127.0.0.1')).url;
  }
  beforeAll(async () => {
    proxy = await recordingProxy(graph.subgraphUrls.users, { holdMs: HOLD_MS });
    routers.deduplicating.url = await routerBehindProxy({});
    routers.plain.url = await routerBehindProxy({ DEDUPLICATE_SUBGRAPH_FETCHES: 'false' });
    routers.unbatched.url = await routerBehindProxy({ BATCH_SUBGRAPH_FETCHES: 'false' });
  });
  afterAll(async () => {
    for (const close of closers) await close();
    proxy.server.close();
  });

  /** How many requests with this display-name marker the users subgraph was sent during `work`. */
  async function fetchesDuring(marker: string, work: () => Promise<unknown>): Promise<number> {
    const before = proxy.bodies.length;
    await work();
    return proxy.bodies.slice(before).filter((body) => body.includes(marker)).length;
  }

  const PROFILE = '{ me { id displayName } }';

  it('share one fetch for one caller and one query, and every client gets the whole answer', async () => {
    const user = await register(routers.deduplicating.url, { displayName: 'Shared Answer' });
    // One client: the caller as the credential describes it includes the address it calls from.
    const clientIp = randomClientIp();
    let answers: Array<Awaited<ReturnType<typeof graphql>>> = [];
    const fetches = await fetchesDuring('displayName', async () => {
      answers = await Promise.all(
        Array.from({ length: 6 }, () => graphql(routers.deduplicating.url, PROFILE, {}, { token: user.accessToken, clientIp })),
      );
    });
    for (const answer of answers) expect(answer.body).toEqual({ data: { me: { id: user.user.id, displayName: 'Shared Answer' } } });
    expect(fetches).toBeLessThan(6);
    const metrics = await (await fetch(`${routers.deduplicating.url}/metrics`)).text();
    expect(metrics).toMatch(/subgraph_fetches_deduplicated_total\{[^}]*subgraph="users"[^}]*\} [1-9]/);
  });

  it('are never shared between callers', async () => {
    const users: AuthPayload[] = [];
    for (let index = 0; index < 4; index += 1) users.push(await register(routers.deduplicating.url, { displayName: `Caller ${index}` }));
    const clientIp = randomClientIp();
    let answers: Array<Awaited<ReturnType<typeof graphql>>> = [];
    const fetches = await fetchesDuring('displayName', async () => {
      answers = await Promise.all(users.map((user) => graphql(routers.deduplicating.url, PROFILE, {}, { token: user.accessToken, clientIp })));
    });
    expect(answers.map((answer) => answer.body)).toEqual(
      users.map((user, index) => ({ data: { me: { id: user.user.id, displayName: `Caller ${index}` } } })),
    );
    expect(fetches).toBe(4);
  });

  it('are never shared for a mutation, even an identical one by the same caller', async () => {
    const user = await register(routers.deduplicating.url);
    const clientIp = randomClientIp();
    const rename = 'mutation { updateMe(input: { displayName: "Renamed Twice" }) { displayName } }';
    let answers: Array<Awaited<ReturnType<typeof graphql>>> = [];
    const fetches = await fetchesDuring('Renamed Twice', async () => {
      answers = await Promise.all(
        Array.from({ length: 3 }, () => graphql(routers.deduplicating.url, rename, {}, { token: user.accessToken, clientIp })),
      );
    });
    for (const answer of answers) expect(answer.body).toEqual({ data: { updateMe: { displayName: 'Renamed Twice' } } });
    expect(fetches).toBe(3);
  });

  it('are each sent when DEDUPLICATE_SUBGRAPH_FETCHES is false', async () => {
    const user = await register(routers.plain.url, { displayName: 'Not Shared' });
    const clientIp = randomClientIp();
    const fetches = await fetchesDuring('displayName', async () => {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => graphql(routers.plain.url, PROFILE, {}, { token: user.accessToken, clientIp })),
      );
      for (const answer of answers) expect(answer.body).toEqual({ data: { me: { id: user.user.id, displayName: 'Not Shared' } } });
    });
    expect(fetches).toBe(4);
  });

  /** A workspace with an owner and one more member, through `url`; returns the owner's token. */
  async function workspaceWithMember(url: string, prefix: string): Promise<string> {
    const owner = await register(url, { displayName: `${prefix} Owner` });
    const member = await register(url, { displayName: `${prefix} Member` });
    const created = await graphql<{ createWorkspace: { id: string } }>(
      url,
      'mutation { createWorkspace(input: { name: "Batched" }) { id } }',
      {},
      { token: owner.accessToken },
    );
    await graphql(
      url,
      'mutation ($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e, role: EDITOR) { role } }',
      { w: created.body.data?.createWorkspace.id, e: member.user.email },
      { token: owner.accessToken },
    );
    return owner.accessToken;
  }

  /** The one workspace of `prefix`'s owner as the query answers it, with `extra` fields of each member's user. */
  const oneWorkspace = (prefix: string, extra: Record<string, unknown> = {}) => ({
    data: {
      workspaces: {
        nodes: [
          {
            owner: { displayName: `${prefix} Owner` },
            members: {
              nodes: expect.arrayContaining([
                { user: { displayName: `${prefix} Member`, ...extra } },
                { user: { displayName: `${prefix} Owner`, ...extra } },
              ]),
            },
          },
        ],
      },
    },
  });

  /** What `query` answers through the deduplicating router, and the bodies the users subgraph was sent meanwhile. */
  async function answerAndRequests(query: string, token: string) {
    const before = proxy.bodies.length;
    const answer = await graphql(routers.deduplicating.url, query, {}, { token });
    return { answer, sent: proxy.bodies.slice(before) };
  }

  it('go out to one subgraph as one operation when a plan fetches the same fields of it twice at one level', async () => {
    const token = await workspaceWithMember(routers.deduplicating.url, 'Merged');
    // The owner's profile and the members' profiles are two fetches of the same fields from users at one level.
    const query = '{ workspaces(first: 5) { nodes { owner { displayName } members(first: 5) { nodes { user { displayName } } } } } }';
    const { answer, sent } = await answerAndRequests(query, token);
    expect(answer.body).toEqual(oneWorkspace('Merged'));
    expect(sent).toHaveLength(1);
    // One operation: the owner's representation, then the two members'.
    const operation = JSON.parse(sent[0] ?? '') as { query: string; variables: { representations: unknown[] } };
    expect(operation.query).toMatch(/_entities/);
    expect(operation.variables.representations).toHaveLength(3);
    expect((await graphql(routers.unbatched.url, query, {}, { token })).body).toEqual(answer.body);
  });

  it('go out to one subgraph as one batch of operations when the fields differ, with the same answer as without batching', async () => {
    const token = await workspaceWithMember(routers.deduplicating.url, 'Batch');
    const query = '{ workspaces(first: 5) { nodes { owner { displayName } members(first: 5) { nodes { user { displayName bio } } } } } }';
    const { answer, sent } = await answerAndRequests(query, token);
    expect(answer.body).toEqual(oneWorkspace('Batch', { bio: null }));
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0] ?? '')).toEqual([
      expect.objectContaining({ query: expect.any(String) }),
      expect.objectContaining({ query: expect.any(String) }),
    ]);
    expect((await graphql(routers.unbatched.url, query, {}, { token })).body).toEqual(answer.body);
  });
});
