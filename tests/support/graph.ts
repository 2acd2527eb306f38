import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { HttpService } from '@pyairtable/common';
import { createAuthSubgraph } from '@pyairtable/auth-subgraph';
import { createUsersSubgraph } from '@pyairtable/users-subgraph';
import { createWorkspacesSubgraph } from '@pyairtable/workspaces-subgraph';
import { createRouter } from '@pyairtable/router';
import { loadAuthConfig } from '../../subgraphs/auth/src/config.js';
import { loadUsersConfig } from '../../subgraphs/users/src/config.js';
import { loadWorkspacesConfig } from '../../subgraphs/workspaces/src/config.js';
import { loadRouterConfig } from '../../router/src/config.js';
import { runDatabaseUrl, runRedisPrefix, runRedisUrl } from './environment.js';

export const ADMIN_EMAIL = 'first.admin@example.test';

export async function generateSigningJwk(kid: string) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

/** The settings every service of a test graph shares: the run's database and Redis prefix, fast bcrypt. */
export async function testEnvironment(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    HOST: '127.0.0.1',
    DATABASE_URL: runDatabaseUrl(),
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: runRedisUrl(),
    REDIS_KEY_PREFIX: runRedisPrefix(),
    ROUTER_SHARED_SECRET: randomBytes(32).toString('hex'),
    JWT_KEYS: JSON.stringify([await generateSigningJwk(`test-${randomBytes(4).toString('hex')}`)]),
    BCRYPT_COST: '4',
    ADMIN_EMAILS: ADMIN_EMAIL,
    TRUST_PROXY: 'loopback',
    ...overrides,
  };
}

type SubgraphName = 'auth' | 'users' | 'workspaces';

/** How a test starts each subgraph in this process, from the same settings a deployment would give it. */
const SUBGRAPH_FACTORIES: Record<SubgraphName, (env: Record<string, string>) => Promise<{ service: HttpService }>> = {
  auth: (env) => createAuthSubgraph(loadAuthConfig(env)),
  users: (env) => createUsersSubgraph(loadUsersConfig(env)),
  workspaces: (env) => createWorkspacesSubgraph(loadWorkspacesConfig(env)),
};

export interface TestGraph {
  routerUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  env: Record<string, string>;
  services: Record<SubgraphName | 'router', HttpService>;
  close(): Promise<void>;
}

/** The router in front of every real subgraph, each listening on a free port of 127.0.0.1. */
export async function startGraph(overrides: Record<string, string> = {}): Promise<TestGraph> {
  const env = await testEnvironment(overrides);
  const started: HttpService[] = [];
  const closeAll = async () => {
    for (const service of started.reverse()) await service.close();
  };
  try {
    const services = {} as TestGraph['services'];
    const subgraphUrls = {} as TestGraph['subgraphUrls'];
    const routerEnv = { ...env };
    for (const [name, create] of Object.entries(SUBGRAPH_FACTORIES) as Array<[SubgraphName, (typeof SUBGRAPH_FACTORIES)[SubgraphName]]>) {
      const { service } = await create(env);
      started.push(service);
      services[name] = service;
      subgraphUrls[name] = (await service.listen(0, '127.0.0.1')).url;
      routerEnv[`SUBGRAPH_URL_${name.toUpperCase()}`] = `${subgraphUrls[name]}/graphql`;
    }
    const router = await createRouter(loadRouterConfig(routerEnv));
    started.push(router.service);
    services.router = router.service;
    const { url: routerUrl } = await router.service.listen(0, '127.0.0.1');
    return { routerUrl, subgraphUrls, env, services, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
