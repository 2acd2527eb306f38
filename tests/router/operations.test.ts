import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROUTER_CREDENTIAL_HEADER } from '@pyairtable/common/identity';
import { createRouter } from '@pyairtable/router/server';
import { loadRouterConfig } from '@pyairtable/router/config';
import { recordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { useGraph } from '../support/use-graph.js';
import { errorCodes, graphql, register } from '../support/client.js';

describe('what the router passes to subgraphs', () => {
  const graph = useGraph();
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await recordingProxy(graph.subgraphUrls.users);
  });
  afterAll(() => {
    proxy.server.close();
  });

  it('passes the request id and its own credential, and none of the client’s identity headers', async () => {
    // A second router, whose users subgraph sits behind the recording proxy.
    const router = await createRouter(
      loadRouterConfig({
        ...graph.env,
        SUBGRAPH_URL_AUTH: `${graph.subgraphUrls.auth}/graphql`,
        SUBGRAPH_URL_USERS: `${proxy.url}/graphql`,
        SUBGRAPH_URL_WORKSPACES: `${graph.subgraphUrls.workspaces}/graphql`,
      }),
    );
    const { url } = await router.service.listen(0, '127.0.0.1');
    try {
      const user = await register(url);
      const response = await graphql(
        url,
        '{ me { displayName } }',
        {},
        {
          token: user.accessToken,
          headers: { 'x-request-id': 'client-chosen-id-42', 'x-user-id': 'someone-else', 'x-user-role': 'ADMIN' },
        },
      );
      expect(response.headers.get('x-request-id')).toBe('client-chosen-id-42');
      expect(response.body.errors).toBeUndefined();
      const sent = proxy.seen.find((headers) => headers['x-request-id'] === 'client-chosen-id-42');
      expect(sent).toBeDefined();
      expect(sent?.[ROUTER_CREDENTIAL_HEADER]).toEqual(expect.any(String));
      expect(sent?.['x-user-id']).toBeUndefined();
      expect(sent?.['x-user-role']).toBeUndefined();
      expect(sent?.authorization).toBeUndefined();
    } finally {
      await router.service.close();
    }
  });
});

describe('metrics, readiness and a subgraph that is down', () => {
  const graph = useGraph();

  it('exposes request counts and latency per operation, errors by code and subgraph fetch timings', async () => {
    const user = await register(graph.routerUrl);
    // Labelled by name because operations/frontend defines an operation of that name (others are "other").
    await graphql(graph.routerUrl, 'query ProfileView { me { id displayName } }', {}, { token: user.accessToken });
    await graphql(graph.routerUrl, 'query MetricsProbeAnonymous { me { id } }');
    const metrics = await (await fetch(`${graph.routerUrl}/metrics`)).text();
    expect(metrics).toMatch(/graphql_requests_total\{[^}]*operation="ProfileView"[^}]*outcome="ok"[^}]*\} 1/);
    expect(metrics).toMatch(/graphql_request_duration_seconds_bucket\{[^}]*operation="ProfileView"/);
    expect(metrics).toMatch(/graphql_errors_total\{[^}]*code="UNAUTHENTICATED"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/subgraph_fetch_duration_seconds_count\{[^}]*subgraph="users"[^}]*\} [1-9]/);
  });

  it('answers partial data and a named error when a subgraph is down, staying ready, with /health degraded naming it', async () => {
    expect((await fetch(`${graph.routerUrl}/ready`)).status).toBe(200);
    const user = await register(graph.routerUrl);
    const query = '{ sessions { current } workspace(id: "00000000-0000-4000-8000-000000000000") { id } }';
    expect((await graphql(graph.routerUrl, query, {}, { token: user.accessToken })).body).toEqual({
      data: { sessions: [{ current: true }], workspace: null },
    });

    await graph.services.workspaces.close();
    const started = Date.now();
    const partial = await graphql(graph.routerUrl, query, {}, { token: user.accessToken });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(partial.status).toBe(200);
    expect(partial.body.data).toEqual({ sessions: [{ current: true }], workspace: null });
    expect(errorCodes(partial)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(partial.body.errors?.[0]?.extensions?.['service']).toBe('workspaces');
    expect(partial.body.errors?.[0]?.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);

    // Ready still: the router answers what the other subgraphs serve (API.md, "Processes and ports").
    const ready = await fetch(`${graph.routerUrl}/ready`);
    expect(ready.status).toBe(200);
    const health = await fetch(`${graph.routerUrl}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded', services: { auth: 'ok', users: 'ok', workspaces: 'down', redis: 'ok' } });
  });
});

describe('CORS by setting', () => {
  const graph = useGraph({ CORS_ORIGINS: 'https://app.example.test' });

  const preflight = (origin: string) =>
    fetch(`${graph.routerUrl}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });

  it('allows the configured origin and no other', async () => {
    expect((await preflight('https://app.example.test')).headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect((await preflight('https://evil.example.test')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('tells only the configured origin that it may send credentials, in the preflight and in the answer', async () => {
    const request = (origin: string) =>
      fetch(`${graph.routerUrl}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
    for (const answer of [await preflight('https://app.example.test'), await request('https://app.example.test')]) {
      expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    }
    for (const answer of [await preflight('https://evil.example.test'), await request('https://evil.example.test'), await request('null')]) {
      expect([answer.headers.get('access-control-allow-origin'), answer.headers.get('access-control-allow-credentials')]).toEqual([null, null]);
    }
  });
});

describe('a subgraph that hangs', () => {
  let hanging: Server;
  beforeAll(async () => {
    hanging = createServer(() => {
      // Accepts and never answers.
    });
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
  });
  afterAll(() => {
    hanging.closeAllConnections();
    hanging.close();
  });
  const graph = useGraph();

  it('is given up on after SUBGRAPH_TIMEOUT_MS, with partial data and a named error', async () => {
    const router = await createRouter(
      loadRouterConfig({
        ...graph.env,
        SUBGRAPH_TIMEOUT_MS: '500',
        SUBGRAPH_URL_AUTH: `${graph.subgraphUrls.auth}/graphql`,
        SUBGRAPH_URL_USERS: `${graph.subgraphUrls.users}/graphql`,
        SUBGRAPH_URL_WORKSPACES: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`,
      }),
    );
    const { url } = await router.service.listen(0, '127.0.0.1');
    try {
      const user = await register(url);
      const started = Date.now();
      const response = await graphql(
        url,
        '{ sessions { current } workspace(id: "00000000-0000-4000-8000-000000000000") { id } }',
        {},
        { token: user.accessToken },
      );
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(3_000);
      expect(response.body.data).toEqual({ sessions: [{ current: true }], workspace: null });
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', service: 'workspaces' });
    } finally {
      await router.service.close();
    }
  });
});
