/**
 * Redis faults (API.md, "Availability of Redis and PostgreSQL"), on a redis-server of this file's own: two routers in
 * front of the subgraphs, Redis killed (it keeps nothing) and started again empty; last, Redis and auth both away.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HttpService } from '@pyairtable/common/http';
import { ROUTER_CREDENTIAL_HEADER, signRouterCredential } from '@pyairtable/common/identity';
import { SUBGRAPHS, subgraphUrlSetting } from '@pyairtable/common/subgraphs';
import { loadRouterConfig } from '@pyairtable/router/config';
import { createRouter } from '@pyairtable/router/server';
import { errorCodes, graphql, login, register, uniqueEmail, untilProfilesServed, type AuthPayload } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { startGraph, type TestGraph } from '../support/graph.js';
import { startOwnRedis, type OwnRedis } from '../support/own-servers.js';

/** Short enough for a test to see a pull, long enough not to load the machine. */
const SYNC_INTERVAL_MS = 500;
const LOGOUT = 'mutation { logout }';

let redis: OwnRedis;
let graph: TestGraph;
let secondRouter: HttpService;
let secondRouterUrl: string;

async function startRouter(graphUnderTest: TestGraph): Promise<{ service: HttpService; url: string }> {
  const env: Record<string, string> = { ...graphUnderTest.env };
  for (const { name } of SUBGRAPHS) env[subgraphUrlSetting(name)] = `${graphUnderTest.subgraphUrls[name]}/graphql`;
  const { service } = await createRouter(loadRouterConfig(env));
  return { service, url: (await service.listen(0, '127.0.0.1')).url };
}

async function isAccepted(routerUrl: string, token: string): Promise<boolean> {
  const response = await graphql(routerUrl, '{ me { id } }', {}, { token });
  if (response.status === 401) return false;
  expect([response.status, response.body.errors]).toEqual([200, undefined]);
  return true;
}

beforeAll(async () => {
  redis = await startOwnRedis();
  graph = await startGraph({
    REDIS_URL: redis.url,
    REVOCATION_SYNC_INTERVAL_MS: String(SYNC_INTERVAL_MS),
    LOGIN_FREE_FAILURES: '2',
    LOGIN_FAILURE_DELAY: '1m',
  });
  ({ service: secondRouter, url: secondRouterUrl } = await startRouter(graph));
});

afterAll(async () => {
  await secondRouter.close();
  await graph.close();
  await redis.stop();
});

describe('Redis restarted empty', () => {
  it('leaves a logged-out token refused by both routers, and by a router started afterwards', async () => {
    const user = await register(graph.routerUrl);
    expect(await isAccepted(secondRouterUrl, user.accessToken)).toBe(true);
    expect((await graphql(graph.routerUrl, LOGOUT, {}, { token: user.accessToken })).body.data).toEqual({ logout: true });
    expect(await isAccepted(graph.routerUrl, user.accessToken)).toBe(false);
    expect(await isAccepted(secondRouterUrl, user.accessToken)).toBe(false);

    await redis.kill();
    await redis.start();
    const lateRouter = await startRouter(graph);
    try {
      // Past several pulls and the channel's reconnection: nothing may have brought the token back.
      await new Promise((resolve) => setTimeout(resolve, SYNC_INTERVAL_MS * 4));
      for (const url of [graph.routerUrl, secondRouterUrl, lateRouter.url])
        expect([url, await isAccepted(url, user.accessToken)]).toEqual([url, false]);
    } finally {
      await lateRouter.service.close();
    }
  });
});

describe('Redis down', () => {
  let user: AuthPayload & { password: string };
  let other: AuthPayload & { password: string };
  let workspaceId: string;

  beforeAll(async () => {
    user = await register(graph.routerUrl, { displayName: 'Before the outage' });
    other = await register(graph.routerUrl);
    const created = await graphql<{ createWorkspace: { id: string } }>(
      graph.routerUrl,
      'mutation { createWorkspace(input: { name: "Outage" }) { id } }',
      {},
      { token: user.accessToken },
    );
    workspaceId = created.body.data?.createWorkspace.id ?? '';
    // Both profiles must have arrived through Redis before it goes away.
    await untilProfilesServed(graph.routerUrl, [user.accessToken, other.accessToken]);
    await redis.kill();
  });

  afterAll(async () => {
    await redis.start();
  });

  it('answers signed-in reads, anonymous requests and logins, refusing fast and by name what needs Redis', async () => {
    const me = await graphql<{ me: { email: string; displayName: string } }>(
      graph.routerUrl,
      '{ me { email displayName } }',
      {},
      { token: user.accessToken },
    );
    expect([me.body.errors, me.body.data?.me.displayName]).toEqual([undefined, 'Before the outage']);
    expect((await graphql(graph.routerUrl, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });

    // Login needs no Redis: its throttles count in this process while Redis is away.
    const started = Date.now();
    const signedIn = await login(graph.routerUrl, user.user.email, user.password);
    const loginMs = Date.now() - started;
    expect(signedIn.body.errors).toBeUndefined();
    expect(loginMs).toBeLessThan(1_500);

    // Adding a member by an email no account has yet needs the event stream: refused fast, naming Redis.
    const refusedAt = Date.now();
    const add = await graphql(
      graph.routerUrl,
      'mutation ($id: ID!, $email: String!) { addWorkspaceMember(workspaceId: $id, email: $email, role: VIEWER) { role } }',
      { id: workspaceId, email: uniqueEmail('nobody') },
      { token: user.accessToken },
    );
    const refusedMs = Date.now() - refusedAt;
    expect(errorCodes(add)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(add.body.errors?.[0]?.message).toMatch(/Redis/);
    expect(refusedMs).toBeLessThan(1_500);
    console.log(`Redis down: login answered in ${loginMs} ms; a request that needs Redis was refused in ${refusedMs} ms`);
  });

  it('keeps the login throttle holding, per process', async () => {
    const target = await register(graph.routerUrl);
    const codes: unknown[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) codes.push(...errorCodes(await login(graph.routerUrl, target.user.email, 'not the password')));
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('reports /health degraded naming Redis, and stays ready', async () => {
    const health = await fetch(`${graph.routerUrl}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      status: 'degraded',
      services: { auth: 'degraded', users: 'degraded', workspaces: 'degraded', redis: 'down' },
    });
    expect(await (await fetch(`${graph.subgraphUrls.auth}/health`)).json()).toEqual({ status: 'degraded', down: ['redis'] });
    expect((await fetch(`${graph.routerUrl}/ready`)).status).toBe(200);
    expect((await fetch(`${graph.subgraphUrls.users}/ready`)).status).toBe(200);
  });

  it('brings a logout to both routers within a few seconds, through the pull', async () => {
    const session = await login(graph.routerUrl, other.user.email, other.password);
    const token = session.body.data?.login.accessToken ?? '';
    expect(await isAccepted(secondRouterUrl, token)).toBe(true);
    const loggedOutAt = Date.now();
    expect((await graphql(graph.routerUrl, LOGOUT, {}, { token })).body.data).toEqual({ logout: true });
    for (const url of [graph.routerUrl, secondRouterUrl]) {
      const refused = await eventually(
        () => isAccepted(url, token),
        (accepted) => !accepted,
        SYNC_INTERVAL_MS * 10,
        50,
      );
      expect([url, refused]).toEqual([url, false]);
    }
    console.log(`Redis down: a logout reached both routers ${Date.now() - loggedOutAt} ms after it answered`);
  });

  it('delivers the events written during the outage once Redis is back', async () => {
    const registered = await register(graph.routerUrl, { displayName: 'Registered during the outage' });
    await redis.start();
    const backAt = Date.now();
    const me = await eventually(
      () => graphql<{ me: { displayName: string | null } | null }>(graph.routerUrl, '{ me { displayName } }', {}, { token: registered.accessToken }),
      (response) => response.body.data?.me?.displayName === 'Registered during the outage',
      20_000,
    );
    expect(me.body.data?.me?.displayName).toBe('Registered during the outage');
    const health = await eventually(
      () => fetch(`${graph.routerUrl}/health`),
      (response) => response.status === 200,
      10_000,
    );
    expect(health.status).toBe(200);
    console.log(`Redis back: profile of the outage's registration readable and /health ok ${Date.now() - backAt} ms later`);
  });
});

describe('the record routers pull revocations from', () => {
  it('opens only to the router credential', async () => {
    const feed = `${graph.subgraphUrls.auth}/internal/revocations`;
    expect((await fetch(feed)).status).toBe(401);
    const forged = await signRouterCredential('not the shared secret, but long enough to sign', { identity: null, clientIp: null, userAgent: null });
    expect((await fetch(feed, { headers: { [ROUTER_CREDENTIAL_HEADER]: forged } })).status).toBe(401);
    const genuine = await signRouterCredential(graph.env['ROUTER_SHARED_SECRET'] ?? '', { identity: null, clientIp: null, userAgent: null });
    const answer = await fetch(feed, { headers: { [ROUTER_CREDENTIAL_HEADER]: genuine } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      asOf: expect.any(Number),
      revocations: expect.arrayContaining([expect.objectContaining({ kind: 'session' })]),
    });
  });
});

describe('no way to sync revocations (Redis and the auth subgraph both away)', () => {
  it('refuses signed-in requests with 503 past REVOCATION_MAX_STALENESS_MS, and keeps answering anonymous ones', async () => {
    const user = await register(graph.routerUrl);
    const env: Record<string, string> = { ...graph.env, REVOCATION_MAX_STALENESS_MS: '1000' };
    for (const { name } of SUBGRAPHS) env[subgraphUrlSetting(name)] = `${graph.subgraphUrls[name]}/graphql`;
    const { service } = await createRouter(loadRouterConfig(env));
    const url = (await service.listen(0, '127.0.0.1')).url;
    try {
      expect(await isAccepted(url, user.accessToken)).toBe(true);
      await redis.kill();
      await graph.services.auth.close();
      const refused = await eventually(
        () => graphql(url, '{ me { id } }', {}, { token: user.accessToken }),
        (response) => response.status === 503,
        10_000,
      );
      expect([refused.status, errorCodes(refused)]).toEqual([503, ['SERVICE_UNAVAILABLE']]);
      expect((await graphql(url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await service.close();
    }
  });
});
