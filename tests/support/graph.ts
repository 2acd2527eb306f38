import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { HttpService } from '@pyairtable/common/http';
import { SUBGRAPHS, loadSubgraph, subgraphUrlSetting, type SubgraphName } from '@pyairtable/common/subgraphs';
import { loadRouterConfig } from '@pyairtable/router/config';
import { createRouter } from '@pyairtable/router/server';
import { runDatabaseUrl, runRedisPrefix, runRedisUrl } from './environment.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

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
    // Mail goes nowhere unless a test gives an SMTP server (startGraph gives each graph a sink of its own).
    SMTP_URL: 'smtp://127.0.0.1:1',
    PUBLIC_APP_URL: 'http://app.example.test',
    MAIL_POLL_INTERVAL_MS: '200',
    MAIL_RETRY_INITIAL_MS: '200',
    ...overrides,
  };
}

export interface TestGraph {
  routerUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  env: Record<string, string>;
  /** The SMTP server the graph's mail goes to (unless the overrides named another SMTP_URL). */
  mail: SmtpSink;
  services: Record<SubgraphName | 'router', HttpService>;
  close(): Promise<void>;
}

/** The router in front of every subgraph of the registry, each real and listening on a free port of 127.0.0.1. */
export async function startGraph(overrides: Record<string, string> = {}): Promise<TestGraph> {
  const mail = await startSmtpSink();
  const env = await testEnvironment({ SMTP_URL: mail.url, ...overrides });
  const started: HttpService[] = [];
  const closeAll = async () => {
    for (const service of started.reverse()) await service.close();
    await mail.stop();
  };
  try {
    const services = {} as TestGraph['services'];
    const subgraphUrls = {} as TestGraph['subgraphUrls'];
    const routerEnv = { ...env };
    for (const { name } of SUBGRAPHS) {
      const subgraph = await loadSubgraph(name);
      const { service } = await subgraph.create(subgraph.loadConfig(env));
      started.push(service);
      services[name] = service;
      subgraphUrls[name] = (await service.listen(0, '127.0.0.1')).url;
      routerEnv[subgraphUrlSetting(name)] = `${subgraphUrls[name]}/graphql`;
    }
    const router = await createRouter(loadRouterConfig(routerEnv));
    started.push(router.service);
    services.router = router.service;
    const { url: routerUrl } = await router.service.listen(0, '127.0.0.1');
    return { routerUrl, subgraphUrls, env, mail, services, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
