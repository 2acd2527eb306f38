// The deployments and the code agree: every setting a service requires is set (in docker-compose.yml and in both
// Kubernetes overlays), every variable set is one the service reads, the services agree on what they share, the
// ports and probe paths are the ones the services serve, and only the router is reachable from outside.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { configProblems, settingsNamed } from '../support/config-problems.js';
import type { IService } from 'kubernetes-models/v1/Service';
import { readSupergraphConfig } from '@pyairtable/schema-tools';
import { parseAllDocuments } from 'yaml';
import { subgraphUrlSetting, type SubgraphName } from '@pyairtable/common/subgraphs';
import { useGraph } from '../support/use-graph.js';
import {
  OVERLAYS,
  SERVICE_NAMES,
  composeConfig,
  composeSource,
  containerEnvironment,
  deployment,
  describeWithTool,
  dockerStages,
  durationMs,
  findObject,
  inheritedInstructions,
  loadSettings,
  mainContainer,
  readRepoFile,
  renderOverlay,
  repoRoot,
  requiredSettings,
  secretValues,
  settingsRead,
  type ComposeFile,
  type ComposeService,
  type Environment,
  type KubernetesObject,
  type Overlay,
  type ServiceName,
} from './deployment.js';

/**
 * Settings that are a contract between services: revocations and events under one prefix, one signing secret,
 * tokens one issuer, mail from one sender with links to one frontend.
 */
const SHARED_SETTINGS = [
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
  'ROUTER_SHARED_SECRET',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'MAIL_FROM',
  'PUBLIC_APP_URL',
  'PRODUCT_NAME',
];
const SUBGRAPHS = readSupergraphConfig(`${repoRoot}supergraph.yaml`).map(({ name }) => name);

it('every subgraph of supergraph.yaml is a service the deployment tests know', () => {
  expect(SUBGRAPHS.length).toBeGreaterThan(0);
  for (const subgraph of SUBGRAPHS) expect(SERVICE_NAMES).toContain(subgraph);
});

it('the deployments pass what the services require: a database URL, Redis, the router secret, signing keys', () => {
  // Derived from the config modules; this pins the derivation itself so an empty list cannot pass the checks below.
  expect(requiredSettings('router').sort()).toEqual(['REDIS_URL', 'ROUTER_SHARED_SECRET']);
  expect(requiredSettings('auth').sort()).toEqual(['DATABASE_URL', 'JWT_KEYS', 'REDIS_URL', 'ROUTER_SHARED_SECRET', 'SMTP_URL']);
  expect(requiredSettings('workspaces')).toContain('SMTP_URL');
  expect(settingsRead('router')).toContain('SUBGRAPH_URL_AUTH');
});

describeWithTool('kubectl', ['version', '--client'])('settings in the Kubernetes overlays', () => {
  const rendered = {} as Record<Overlay, KubernetesObject[]>;
  const environment = (overlay: Overlay, service: ServiceName) =>
    containerEnvironment(mainContainer(deployment(rendered[overlay], service)), rendered[overlay], secretValues(rendered.dev));

  beforeAll(() => {
    for (const overlay of OVERLAYS) rendered[overlay] = renderOverlay(overlay);
  });

  it.each(OVERLAYS)('%s: every setting a service requires is set, and the service accepts its whole environment', (overlay) => {
    for (const service of SERVICE_NAMES) {
      const { env } = environment(overlay, service);
      for (const setting of requiredSettings(service)) expect([service, setting, env[setting] !== undefined]).toEqual([service, setting, true]);
      expect(() => loadSettings(service, env)).not.toThrow();
    }
  });

  it.each(OVERLAYS)('%s: every variable a Deployment sets is a setting its service reads', (overlay) => {
    const sharedKeys = new Set<string>();
    for (const service of SERVICE_NAMES) {
      const { sources } = environment(overlay, service);
      const unread = [...sources]
        .filter(([setting, source]) => source.from !== 'configMap' && !settingsRead(service).has(setting))
        .map(([setting]) => setting);
      expect([service, unread]).toEqual([service, []]);
      for (const [setting, source] of sources) if (source.from === 'configMap') sharedKeys.add(setting);
    }
    // The shared ConfigMap goes to every service; each of its settings must matter to at least one.
    for (const setting of sharedKeys) expect([setting, SERVICE_NAMES.some((service) => settingsRead(service).has(setting))]).toEqual([setting, true]);
  });

  it.each(OVERLAYS)('%s: the services agree on the settings they share', (overlay) => {
    expectSharedSettingsAgree((service) => environment(overlay, service).env);
  });

  it.each(OVERLAYS)('%s: each service listens on its container port, which its Service and probes use, with /ready and /live', (overlay) => {
    for (const service of SERVICE_NAMES) {
      const container = mainContainer(deployment(rendered[overlay], service));
      const port = loadSettings(service, environment(overlay, service).env)['PORT'];
      expect([service, container.ports?.find((candidate) => candidate.name === 'http')?.containerPort]).toEqual([service, port]);
      const { spec } = findObject(rendered[overlay], 'Service', service) as IService;
      expect(spec?.ports?.map((servicePort) => servicePort.targetPort)).toEqual(['http']);
      expect([container.readinessProbe?.httpGet?.path, container.readinessProbe?.httpGet?.port]).toEqual(['/ready', 'http']);
      expect([container.livenessProbe?.httpGet?.path, container.livenessProbe?.httpGet?.port]).toEqual(['/live', 'http']);
      expect([container.startupProbe?.httpGet?.path, container.startupProbe?.httpGet?.port]).toEqual(['/live', 'http']);
    }
  });

  it.each(OVERLAYS)('%s: the router calls each subgraph at its Service and port', (overlay) => {
    const router = loadSettings('router', environment(overlay, 'router').env);
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(String(router[subgraphUrlSetting(subgraph as SubgraphName)]));
      const { spec } = findObject(rendered[overlay], 'Service', subgraph) as IService;
      expect([subgraph, url.hostname, Number(url.port), url.pathname]).toEqual([subgraph, subgraph, spec?.ports?.[0]?.port, '/graphql']);
    }
  });

  it.each(OVERLAYS)(
    '%s: a stopping pod has time to drain, finish in-flight requests and close its pools; a rollout keeps old pods until new ones are ready',
    (overlay) => {
      for (const service of SERVICE_NAMES) {
        const workload = deployment(rendered[overlay], service);
        const shutdownMs = Number(loadSettings(service, environment(overlay, service).env)['SHUTDOWN_TIMEOUT_MS']);
        const preStop = mainContainer(workload).lifecycle?.preStop?.exec?.command ?? [];
        expect(preStop.slice(0, 1)).toEqual(['sleep']);
        const preStopMs = Number(preStop[1]) * 1_000;
        expect(preStopMs).toBeGreaterThan(0);
        const graceMs = (workload.template.spec?.terminationGracePeriodSeconds ?? 30) * 1_000;
        // What is left after the drain delay and the request deadline is for closing Postgres and Redis connections.
        expect([service, graceMs - preStopMs - shutdownMs >= 5_000]).toEqual([service, true]);
        const strategy = (workload.object['spec'] as { strategy?: { rollingUpdate?: { maxUnavailable?: number | string } } }).strategy;
        expect(strategy?.rollingUpdate?.maxUnavailable).toBe(0);
      }
    },
  );
});

describeWithTool('docker-compose', ['version'])('settings in docker-compose.yml', () => {
  let compose: ComposeFile;
  const environment = (service: ServiceName): Environment => ({
    ...imageEnvironment(service),
    ...definedEntries(compose.services[service]?.environment),
  });

  const filledIn = mkdtempSync(join(tmpdir(), 'filled-in-env-'));

  beforeAll(() => {
    // What an operator runs compose with: .env.example with every change-me value replaced (production refuses those).
    const { status, stderr, config } = composeConfig(filledInEnvFile(filledIn));
    if (status !== 0 || !config) throw new Error(`docker-compose config failed:\n${stderr}`);
    compose = config;
  });
  afterAll(() => rmSync(filledIn, { recursive: true, force: true }));

  it('docker-compose config accepts docker-compose.yml with .env.example', () => {
    expect(composeConfig('.env.example').status).toBe(0);
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICE_NAMES, 'mailpit', 'migrate', 'postgres', 'redis'].sort());
  });

  it('with .env.example’s placeholders left in, every service refuses to start in production, naming each secret', () => {
    const { config: asShipped } = composeConfig('.env.example');
    for (const service of SERVICE_NAMES) {
      const env = { ...imageEnvironment(service), ...definedEntries(asShipped?.services[service]?.environment) };
      const named = settingsNamed(configProblems((settings) => loadSettings(service, settings), env)).sort();
      expect([service, named]).toEqual([service, service === 'auth' ? ['JWT_KEYS', 'ROUTER_SHARED_SECRET'] : ['ROUTER_SHARED_SECRET']]);
    }
  });

  it('the router, run as deployed with .env.example’s placeholder secret, exits 1 naming it', () => {
    const { config: asShipped } = composeConfig('.env.example');
    const env = { ...imageEnvironment('router'), ...definedEntries(asShipped?.services['router']?.environment) };
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=development', 'router/src/main.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'], ...env, SUPERGRAPH_FILE: `${repoRoot}supergraph.graphql` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining('ROUTER_SHARED_SECRET: is a placeholder')]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to run without the secrets .env must provide', () => {
    const { status, stderr } = composeConfig(null);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/set (POSTGRES_PASSWORD|ROUTER_SHARED_SECRET|JWT_KEYS) in \.env/);
  });

  it('every setting a service requires is set, and the service accepts its whole environment', () => {
    for (const service of SERVICE_NAMES) {
      const env = environment(service);
      for (const setting of requiredSettings(service)) expect([service, setting, env[setting] !== undefined]).toEqual([service, setting, true]);
      expect(() => loadSettings(service, env)).not.toThrow();
    }
  });

  it('every variable compose sets is a setting its service reads', () => {
    for (const service of SERVICE_NAMES) {
      const unread = Object.keys(compose.services[service]?.environment ?? {}).filter((setting) => !settingsRead(service).has(setting));
      expect([service, unread]).toEqual([service, []]);
    }
  });

  it('a setting left out of .env falls back to the same value as the service’s own default', () => {
    const source = composeSource();
    for (const service of SERVICE_NAMES) {
      const env = environment(service);
      for (const [setting, written] of Object.entries(source.services[service]?.environment ?? {})) {
        // Only `${SETTING:-fallback}`: the value a user gets by leaving SETTING out of .env.
        if (!(written ?? '').startsWith(`\${${setting}:-`)) continue;
        // A required setting has no default of its own; the fallback is compose's wiring (SMTP_URL: its Mailpit).
        if (requiredSettings(service).includes(setting)) continue;
        const own = loadSettings(service, withoutSetting(env, setting))[setting];
        if (own === undefined) continue; // optional without a default: nothing to drift from
        expect([service, setting, loadSettings(service, env)[setting]]).toEqual([service, setting, own]);
      }
    }
  });

  it('the services agree on the settings they share', () => {
    expectSharedSettingsAgree(environment);
  });

  it('the router calls each subgraph at its compose service, on the port the subgraph listens on', () => {
    const router = loadSettings('router', environment('router'));
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(String(router[subgraphUrlSetting(subgraph as SubgraphName)]));
      const port = loadSettings(subgraph as ServiceName, environment(subgraph as ServiceName))['PORT'];
      expect([subgraph, url.hostname, Number(url.port), url.pathname]).toEqual([subgraph, subgraph, port, '/graphql']);
    }
  });

  it('only the router publishes a port, the one it listens on, and Mailpit its web UI on the loopback alone', () => {
    const publishing = Object.entries(compose.services).filter(([, service]) => (service.ports ?? []).length > 0 || service.network_mode === 'host');
    expect(publishing.map(([name]) => name).sort()).toEqual(['mailpit', 'router']);
    const [published] = compose.services['router']?.ports ?? [];
    expect(publishedPort(published).target).toBe(loadSettings('router', environment('router'))['PORT']);
    // The UI shows live tokens; SMTP (1025) stays on the compose network.
    expect((compose.services['mailpit']?.ports ?? []).map(publishedPort)).toEqual([{ target: 8025, hostIp: '127.0.0.1' }]);
  });

  it('the services that send mail send it to Mailpit, on the port it listens on for SMTP, unless .env names another server', () => {
    const senders = SERVICE_NAMES.filter((service) => settingsRead(service).has('SMTP_URL'));
    expect(senders.sort()).toEqual(['auth', 'workspaces']);
    for (const service of senders) {
      expect([service, loadSettings(service, environment(service))['SMTP_URL']]).toEqual([service, 'smtp://mailpit:1025']);
    }
    expect(compose.services['mailpit']?.image).toMatch(/^axllent\/mailpit:v\d+\.\d+/);
  });

  it('each service waits for what it uses: a healthy Postgres and Redis, applied migrations, healthy subgraphs', () => {
    const dependsOn = (service: string) => compose.services[service]?.depends_on ?? {};
    for (const service of SERVICE_NAMES) {
      const expected: Record<string, { condition: string }> = {};
      if (settingsRead(service).has('DATABASE_URL')) {
        expected['postgres'] = { condition: 'service_healthy' };
        expected['migrate'] = { condition: 'service_completed_successfully' };
      }
      if (settingsRead(service).has('REDIS_URL')) expected['redis'] = { condition: 'service_healthy' };
      if (settingsRead(service).has('SMTP_URL')) expected['mailpit'] = { condition: 'service_healthy' };
      if (service === 'router') for (const subgraph of SUBGRAPHS) expected[subgraph] = { condition: 'service_healthy' };
      expect([service, dependsOn(service)]).toEqual([service, expected]);
    }
    expect(dependsOn('migrate')).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const store of ['postgres', 'redis']) {
      expect([store, compose.services[store]?.healthcheck?.test]).toEqual([store, expect.anything()]);
      expect([store, compose.services[store]?.volumes?.length]).toEqual([store, 1]);
    }
    expect(compose.services['mailpit']?.healthcheck?.test).toEqual(['CMD', '/mailpit', 'readyz']);
  });

  it('a stopping container has longer than SHUTDOWN_TIMEOUT_MS before it is killed', () => {
    for (const service of SERVICE_NAMES) {
      const shutdownMs = Number(loadSettings(service, environment(service))['SHUTDOWN_TIMEOUT_MS']);
      expect([service, durationMs(compose.services[service]?.stop_grace_period ?? '10s') > shutdownMs]).toEqual([service, true]);
    }
  });

  it('.env.example lists every setting of every service, and its secrets are placeholders', () => {
    const example = readRepoFile('.env.example');
    const mentioned = (setting: string) => new RegExp(`(^|[\\s:,])${setting}=`, 'm').test(example);
    for (const service of SERVICE_NAMES) {
      expect([service, [...settingsRead(service)].filter((setting) => !mentioned(setting))]).toEqual([service, []]);
    }
    const composeText = readRepoFile('docker-compose.yml');
    for (const [, setting = '', value = ''] of example.matchAll(/^([A-Z_]+)=(.*)$/gm)) {
      // Set here means read there; a secret (no default in the compose file) ships as an obvious placeholder.
      expect([setting, composeText.includes(`\${${setting}:`)]).toEqual([setting, true]);
      if (composeText.includes(`\${${setting}:?`)) expect([setting, value]).toEqual([setting, expect.stringContaining('change-me')]);
    }
  });
});

describe('the probe paths the manifests and images use', () => {
  const graph = useGraph();

  it('are served by every running service', async () => {
    const paths = probePaths();
    expect(paths).toEqual(new Set(['/live', '/ready']));
    const urls = { router: graph.routerUrl, ...graph.subgraphUrls };
    for (const [service, url] of Object.entries(urls)) {
      for (const path of paths) expect([service, path, (await fetch(`${url}${path}`)).status]).toEqual([service, path, 200]);
      expect([service, (await fetch(`${url}/no-such-probe`)).status]).toEqual([service, 404]);
    }
  });
});

/** Every httpGet probe path in k8s/base and the image's HEALTHCHECK, read from the files as written. */
function probePaths(): Set<string> {
  const paths = new Set<string>();
  for (const file of SERVICE_NAMES.map((service) => `k8s/base/${service}.yaml`)) {
    const text = JSON.stringify(parseAllDocuments(readRepoFile(file)).map((document) => document.toJS() as unknown));
    for (const [, path = ''] of text.matchAll(/"httpGet":\{"path":"([^"]+)"/g)) paths.add(path);
  }
  const healthchecks = [...dockerStages().values()].flatMap((stage) => stage.instructions).filter(({ keyword }) => keyword === 'HEALTHCHECK');
  expect(healthchecks).toHaveLength(1);
  for (const [, path = ''] of (healthchecks[0]?.args ?? '').matchAll(/'(\/[a-z]+)'/g)) paths.add(path);
  return paths;
}

function expectSharedSettingsAgree(environmentOf: (service: ServiceName) => Environment): void {
  for (const setting of SHARED_SETTINGS) {
    const readers = SERVICE_NAMES.filter((service) => settingsRead(service).has(setting));
    expect(readers.length).toBeGreaterThan(1);
    const values = new Set(readers.map((service) => JSON.stringify(loadSettings(service, environmentOf(service))[setting])));
    expect([setting, values.size]).toEqual([setting, 1]);
  }
}

/** The values an operator replaces .env.example's change-me placeholders with (README, "Deploying"). */
const FILLED_IN_SECRETS: Record<string, () => string> = {
  POSTGRES_PASSWORD: () => randomBytes(24).toString('hex'),
  ROUTER_SHARED_SECRET: () => randomBytes(32).toString('hex'),
  JWT_KEYS: () => JSON.stringify([{ kid: 'key-1', ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) }]),
};

/** .env.example with every change-me value filled in, written to `directory`; its path. */
function filledInEnvFile(directory: string): string {
  const filled = readRepoFile('.env.example').replace(/^([A-Z_]+)=(.*change-me.*)$/gm, (_line, setting: string) => {
    const value = FILLED_IN_SECRETS[setting];
    if (!value) throw new Error(`.env.example has a new placeholder, ${setting}: say in FILLED_IN_SECRETS how an operator fills it in`);
    return `${setting}=${value()}`;
  });
  const file = join(directory, '.env');
  writeFileSync(file, filled);
  return file;
}

/** The ENV the Dockerfile gives a service's image (its PORT, for one), under what compose sets. */
function imageEnvironment(service: ServiceName): Environment {
  const env: Environment = {};
  for (const { keyword, args } of inheritedInstructions(dockerStages(), service)) {
    if (keyword !== 'ENV') continue;
    for (const [, key = '', value = ''] of args.matchAll(/([A-Z_]+)=(\S+)/g)) env[key] = value;
  }
  return env;
}

/** A compose port, short ("127.0.0.1:8025:8025") or long syntax, as its container port and host address. */
function publishedPort(port: NonNullable<ComposeService['ports']>[number] | undefined): { target: number | undefined; hostIp?: string } {
  if (typeof port === 'string') {
    const parts = port.replace(/\/tcp$/, '').split(':');
    const target = Number(parts.at(-1));
    return parts.length === 3 ? { target, hostIp: parts[0] ?? '' } : { target };
  }
  return { target: port?.target, ...(port?.host_ip ? { hostIp: port.host_ip } : {}) };
}

function definedEntries(environment: Record<string, string | null> | undefined): Environment {
  return Object.fromEntries(Object.entries(environment ?? {}).filter((entry): entry is [string, string] => entry[1] !== null));
}

function withoutSetting(env: Environment, setting: string): Environment {
  const { [setting]: _removed, ...rest } = env;
  return rest;
}
