/**
 * The access log: one JSON line per request on stdout, from the router and the subgraphs alike (the shared service
 * chassis), carrying the request id a client sent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { startProcess, type ServiceProcess } from '../support/processes.js';
import { eventually } from '../support/eventually.js';
import { graphql, signUp } from '../support/client.js';

type LogLine = Record<string, unknown>;

const graph = useGraph();
let router: ServiceProcess | undefined;
let users: ServiceProcess | undefined;

/** A service's production entry point as a process of its own, logging at info, announced by "<name> listening". */
function startService(entry: string, name: string, env: Record<string, string | undefined>): Promise<ServiceProcess> {
  return startProcess(entry, { ...process.env, ...graph.env, PORT: '0', LOG_LEVEL: 'info', ...env }, ({ msg, url }) =>
    msg === `${name} listening` && typeof url === 'string' ? url : undefined,
  );
}

beforeAll(async () => {
  users = await startService('subgraphs/users/src/main.ts', 'users subgraph', {});
  router = await startService('router/src/main.ts', 'router', {
    SUBGRAPH_URL_AUTH: `${graph.subgraphUrls.auth}/graphql`,
    SUBGRAPH_URL_USERS: `${users.url}/graphql`,
    SUBGRAPH_URL_WORKSPACES: `${graph.subgraphUrls.workspaces}/graphql`,
  });
});

afterAll(async () => {
  await router?.stop();
  await users?.stop();
});

function started(service: ServiceProcess | undefined): ServiceProcess {
  if (!service) throw new Error('the service did not start (see beforeAll)');
  return service;
}

function logLines(service: ServiceProcess): LogLine[] {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The access-log lines of one request, once the process has written them (stdout is written asynchronously). */
async function accessLines(service: ServiceProcess, requestId: string, atLeast = 1): Promise<LogLine[]> {
  const read = () => Promise.resolve(logLines(service).filter((line) => line['msg'] === 'request' && line['requestId'] === requestId));
  return eventually(read, (lines) => lines.length >= atLeast, 5_000);
}

describe('the access log', () => {
  it('has one line per request, with its request id, method, route, operation, status, duration and client IP', async () => {
    const account = await signUp(graph.routerUrl);
    const requestId = `client-chosen-${Date.now()}`;
    const response = await graphql(
      started(router).url,
      'query WhoAmI { me { id displayName } }',
      { unused: 1 },
      {
        token: account.token,
        clientIp: '203.0.113.7',
        headers: { 'x-request-id': requestId },
      },
    );
    expect(response.headers.get('x-request-id')).toBe(requestId);

    const lines = await accessLines(started(router), requestId);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'router',
        requestId,
        method: 'POST',
        route: '/graphql',
        operation: 'WhoAmI',
        status: 200,
        durationMs: expect.any(Number),
        clientIp: '203.0.113.7',
      }),
    ]);
    // Nothing of the request's content: no headers (the bearer token), no body.
    expect(JSON.stringify(lines)).not.toContain(account.token);
  });

  it('is written by the subgraphs too, under the id the router passes on', async () => {
    const account = await signUp(graph.routerUrl);
    const requestId = `through-the-router-${Date.now()}`;
    await graphql(
      started(router).url,
      'query WhoAmI { me { id displayName } }',
      {},
      { token: account.token, headers: { 'x-request-id': requestId } },
    );
    const [line] = await accessLines(started(users), requestId);
    expect(line).toEqual(
      expect.objectContaining({ service: 'users', requestId, method: 'POST', route: '/graphql', status: 200, durationMs: expect.any(Number) }),
    );
    expect(String(line?.['operation'])).toMatch(/^WhoAmI__users__\d+$/);
  });

  it('names the route without its query string, and leaves out the operation of a request that runs none', async () => {
    const requestId = `health-${Date.now()}`;
    await fetch(`${started(router).url}/health?secret=in-the-query`, { headers: { 'x-request-id': requestId } });
    const lines = await accessLines(started(router), requestId);
    expect(lines).toEqual([expect.objectContaining({ method: 'GET', route: '/health', status: 200 })]);
    expect(lines[0]).not.toHaveProperty('operation');
    expect(JSON.stringify(lines)).not.toContain('in-the-query');
  });

  it('logs refused requests too, with their status', async () => {
    const requestId = `refused-${Date.now()}`;
    await graphql(started(router).url, 'query Broken { nope }', {}, { headers: { 'x-request-id': requestId } });
    expect(await accessLines(started(router), requestId)).toEqual([expect.objectContaining({ route: '/graphql', operation: 'Broken', status: 400 })]);
  });
});
