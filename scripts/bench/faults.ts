// npm run bench:faults — what a Redis outage costs, measured on a graph with two routers and a redis-server of its own:
// the time to the first SERVICE_UNAVAILABLE once Redis is gone, the time to recover once it is back, and how long a
// logout takes to reach both routers (p50, p99), with Redis up and with Redis down. Prints one JSON object.
import { SUBGRAPHS, subgraphUrlSetting } from '@pyairtable/common/subgraphs';
import { loadRouterConfig } from '@pyairtable/router/config';
import { createRouter } from '@pyairtable/router/server';
import { graphql, login, register, uniqueEmail } from '../../tests/support/client.js';
import { startGraph, type TestGraph } from '../../tests/support/graph.js';
import { startOwnRedis } from '../../tests/support/own-servers.js';
import { percentile } from './stats.js';
import { withTestDatabase } from './with-test-graph.js';

const SAMPLES = 40;
const POLL_MS = 2;

async function secondRouter(graph: TestGraph) {
  const env: Record<string, string> = { ...graph.env };
  for (const { name } of SUBGRAPHS) env[subgraphUrlSetting(name)] = `${graph.subgraphUrls[name]}/graphql`;
  const { service } = await createRouter(loadRouterConfig(env));
  return { service, url: (await service.listen(0, '127.0.0.1')).url };
}

async function refused(url: string, token: string): Promise<boolean> {
  return (await graphql(url, '{ me { id } }', {}, { token })).status === 401;
}

/** Milliseconds from logout's answer until both routers refuse the token, per sample. */
async function revocationPropagation(
  graph: TestGraph,
  routers: string[],
): Promise<{ p50: number; p99: number; max: number; refusedAtFirstRequest: string }> {
  const account = await register(graph.routerUrl);
  const samples: number[] = [];
  let atFirstRequest = 0;
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const token = (await login(graph.routerUrl, account.user.email, account.password)).body.data?.login.accessToken ?? '';
    const response = await graphql(graph.routerUrl, 'mutation { logout }', {}, { token });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    const answeredAt = performance.now();
    let first = true;
    for (const url of routers) {
      while (!(await refused(url, token))) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    if (first) atFirstRequest += 1;
    samples.push(performance.now() - answeredAt);
  }
  samples.sort((left, right) => left - right);
  const round = (value: number) => Number(value.toFixed(1));
  return {
    p50: round(percentile(samples, 0.5)),
    p99: round(percentile(samples, 0.99)),
    max: round(samples.at(-1) ?? Number.NaN),
    refusedAtFirstRequest: `${atFirstRequest} of ${SAMPLES}`,
  };
}

await withTestDatabase(async () => {
  const redis = await startOwnRedis();
  const graph = await startGraph({
    REDIS_URL: redis.url,
    THROTTLE_LOGIN_PER_EMAIL: '100000/1m',
    THROTTLE_LOGIN_PER_IP: '100000/1m',
    THROTTLE_REGISTER_PER_IP: '100000/1m',
  });
  const other = await secondRouter(graph);
  try {
    const routers = [graph.routerUrl, other.url];
    const owner = await register(graph.routerUrl);
    const workspace = await graphql<{ createWorkspace: { id: string } }>(
      graph.routerUrl,
      'mutation { createWorkspace(input: { name: "Faults" }) { id } }',
      {},
      { token: owner.accessToken },
    );
    const needsRedis = () =>
      graphql(
        graph.routerUrl,
        'mutation ($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e, role: VIEWER) { role } }',
        { w: workspace.body.data?.createWorkspace.id, e: uniqueEmail('nobody') },
        { token: owner.accessToken },
      );

    const withRedisUp = await revocationPropagation(graph, routers);

    await redis.kill();
    const killedAt = performance.now();
    let firstUnavailableMs = Number.NaN;
    for (;;) {
      const response = await needsRedis();
      if (response.body.errors?.[0]?.extensions?.['code'] === 'SERVICE_UNAVAILABLE') {
        firstUnavailableMs = performance.now() - killedAt;
        break;
      }
    }
    const startedAt = performance.now();
    const unavailable = await needsRedis();
    const unavailableAnswerMs = performance.now() - startedAt;
    const withRedisDown = await revocationPropagation(graph, routers);

    await redis.start();
    const backAt = performance.now();
    // Recovered: a request that needs Redis answers again (NOT_FOUND: no account has that email) and /health is ok.
    for (;;) {
      const response = await needsRedis();
      if (response.body.errors?.[0]?.extensions?.['code'] === 'NOT_FOUND') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const recoveredMs = performance.now() - backAt;
    while ((await fetch(`${graph.routerUrl}/health`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
    const healthyMs = performance.now() - backAt;

    console.log(
      JSON.stringify(
        {
          redisOutage: {
            firstServiceUnavailableAfterKillMs: Number(firstUnavailableMs.toFixed(1)),
            serviceUnavailableAnswerMs: Number(unavailableAnswerMs.toFixed(1)),
            code: unavailable.body.errors?.[0]?.extensions?.['code'],
            recoveredAfterRedisBackMs: Number(recoveredMs.toFixed(1)),
            healthOkAfterRedisBackMs: Number(healthyMs.toFixed(1)),
          },
          revocationToTwoRoutersMs: { samples: SAMPLES, redisUp: withRedisUp, redisDown: withRedisDown },
          syncIntervalMs: loadRouterConfig(graph.env).REVOCATION_SYNC_INTERVAL_MS,
        },
        null,
        2,
      ),
    );
  } finally {
    await other.service.close();
    await graph.close();
    await redis.stop();
  }
});
