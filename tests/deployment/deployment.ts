// What the deployment tests read: the services' settings as the code defines them, the rendered Kubernetes overlays,
// the resolved docker-compose file and the Dockerfile's stages. Nothing here runs a container or a cluster.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from '@jest/globals';
import { ConfigError } from '@pyairtable/common/config';
import { configProblems, settingsNamed } from '../support/config-problems.js';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { parse, parseAllDocuments } from 'yaml';
import { SUBGRAPHS, loadSubgraph, type SubgraphName } from '@pyairtable/common/subgraphs';
import { loadRouterConfig } from '@pyairtable/router/config';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

export type Environment = Record<string, string>;
type SettingsLoader = (env: NodeJS.ProcessEnv) => object;

export type ServiceName = 'router' | SubgraphName;

/**
 * Every process a deployment runs (the router and every subgraph of the registry), by the name its Deployment,
 * compose service and image target share: a subgraph added to the registry is checked everywhere below.
 */
export const SERVICES: Record<ServiceName, SettingsLoader> = {
  router: loadRouterConfig,
  ...(Object.fromEntries(
    await Promise.all(
      SUBGRAPHS.map(async ({ name }) => {
        const subgraph = await loadSubgraph(name);
        return [name, (env: NodeJS.ProcessEnv) => subgraph.loadConfig(env)] as const;
      }),
    ),
  ) as Record<SubgraphName, SettingsLoader>),
};
export const SERVICE_NAMES: ServiceName[] = ['router', ...SUBGRAPHS.map(({ name }) => name)];

/** The settings the service would run with, parsed and defaulted by its own config module. */
export function loadSettings(service: ServiceName, env: Environment): Readonly<Record<string, unknown>> {
  return { ...SERVICES[service](env) };
}

/** Every setting the service reads (its schema's keys), seen by watching its loader read an environment. */
export function settingsRead(service: ServiceName): Set<string> {
  const read = new Set<string>();
  const watched = new Proxy<NodeJS.ProcessEnv>(
    {},
    {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key) as unknown;
      },
    },
  );
  try {
    SERVICES[service](watched);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  return read;
}

/** The settings a service refuses to start without in production: its loader names each one when it is missing. */
export function requiredSettings(service: ServiceName): string[] {
  return settingsNamed(configProblems(SERVICES[service], {}));
}

/** A test block that needs a command-line tool: skipped where the tool is missing, except in CI, where it must run. */
export function describeWithTool(tool: string, versionArgs: string[]) {
  const installed = spawnSync(tool, versionArgs, { encoding: 'utf8' }).status === 0;
  if (installed || process.env['CI']) return describe;
  console.warn(`${tool} is not installed: its deployment checks are skipped (CI installs it, see scripts/ci/ensure-services.sh)`);
  return describe.skip;
}

export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// --- Kubernetes ------------------------------------------------------------------------------------------------

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize k8s/overlays/<overlay>`, one object per document. */
export function renderOverlay(overlay: Overlay): KubernetesObject[] {
  const { status, stdout, stderr } = run('kubectl', ['kustomize', join('k8s', 'overlays', overlay)]);
  if (status !== 0) throw new Error(`kubectl kustomize k8s/overlays/${overlay} failed:\n${stderr}`);
  return parseAllDocuments(stdout).map((document) => document.toJS() as KubernetesObject);
}

export function objectsOfKind<T>(objects: KubernetesObject[], kind: string): Array<KubernetesObject & T> {
  return objects.filter((object) => object.kind === kind) as Array<KubernetesObject & T>;
}

/** The object of this kind and name, which must be there; callers assert the model of its kind (`as IService`). */
export function findObject(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
  return found;
}

/** Generated ConfigMaps and Secrets carry a content hash: `supergraph-9fh84cch8d` is the generator `supergraph`. */
export const generatorName = (name: string): string => name.replace(/-[a-z0-9]{10}$/, '');

export interface Workload {
  kind: 'Deployment' | 'StatefulSet' | 'Job';
  name: string;
  object: KubernetesObject;
  template: IPodTemplateSpec;
}

export function workloads(objects: KubernetesObject[]): Workload[] {
  return objects.flatMap((object) => {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet' && object.kind !== 'Job') return [];
    const { template } = object['spec'] as { template: IPodTemplateSpec };
    return [{ kind: object.kind, name: object.metadata.name, object, template }];
  });
}

export function deployment(objects: KubernetesObject[], name: string): Workload {
  const found = workloads(objects).find((workload) => workload.kind === 'Deployment' && workload.name === name);
  if (!found) throw new Error(`no Deployment ${name} in the rendered overlay`);
  return found;
}

export function mainContainer(workload: Workload): IContainer {
  const container = workload.template.spec?.containers.find((candidate) => candidate.name === workload.name);
  if (!container) throw new Error(`${workload.kind} ${workload.name} has no container named ${workload.name}`);
  return container;
}

export type EnvSource = { from: 'value' } | { from: 'configMap'; name: string } | { from: 'secret'; name: string; key: string };

/** A container's environment as the kubelet would build it, with where each value comes from. */
export function containerEnvironment(
  container: IContainer,
  objects: KubernetesObject[],
  secretValue: (name: string, key: string) => string | undefined,
): { env: Environment; sources: Map<string, EnvSource> } {
  const env: Environment = {};
  const sources = new Map<string, EnvSource>();
  for (const { configMapRef, secretRef } of container.envFrom ?? []) {
    if (secretRef) throw new Error(`${container.name}: envFrom secretRef hides which secret keys it needs; use secretKeyRef`);
    const name = configMapRef?.name ?? '';
    const { data = {} } = findObject(objects, 'ConfigMap', name) as { data?: Record<string, string> };
    for (const [key, value] of Object.entries(data)) {
      env[key] = value;
      sources.set(key, { from: 'configMap', name });
    }
  }
  for (const { name, value, valueFrom } of container.env ?? []) {
    if (value !== undefined) {
      env[name] = value;
      sources.set(name, { from: 'value' });
    } else if (valueFrom?.secretKeyRef) {
      const { name: secretName = '', key } = valueFrom.secretKeyRef;
      const resolved = secretValue(secretName, key);
      if (resolved === undefined) throw new Error(`${container.name}: ${name} refers to secret ${secretName}/${key}, which no one provides`);
      env[name] = resolved;
      sources.set(name, { from: 'secret', name: secretName, key });
    } else {
      throw new Error(`${container.name}: ${name} comes from neither a value nor a secret`);
    }
  }
  return { env, sources };
}

/** Secret values from a rendered overlay, looked up by generator name so another overlay's references resolve too. */
export function secretValues(objects: KubernetesObject[]): (name: string, key: string) => string | undefined {
  const secrets = objectsOfKind<{ data?: Record<string, string> }>(objects, 'Secret');
  return (name, key) => {
    const secret = secrets.find((candidate) => generatorName(candidate.metadata.name) === generatorName(name));
    const encoded = secret?.data?.[key];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  };
}

// --- docker-compose --------------------------------------------------------------------------------------------

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  ports?: Array<string | { published?: number | string; target?: number; host_ip?: string }>;
  expose?: unknown[];
  network_mode?: string;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  volumes?: unknown[];
  restart?: string;
  read_only?: boolean;
  cap_drop?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * `docker-compose config` of docker-compose.yml with the given env file (an empty one for null), run with an
 * environment of its own so the shell's variables cannot fill in what the file leaves out.
 */
export function composeConfig(envFile: string | null = '.env.example'): { status: number | null; stderr: string; config: ComposeFile | undefined } {
  const directory = mkdtempSync(join(tmpdir(), 'compose-env-'));
  try {
    const emptyEnvFile = join(directory, '.env');
    writeFileSync(emptyEnvFile, '');
    const args = ['--env-file', envFile ?? emptyEnvFile, '-f', 'docker-compose.yml', 'config'];
    const { status, stdout, stderr } = run('docker-compose', args, { PATH: process.env['PATH'], HOME: process.env['HOME'] });
    return { status, stderr, config: status === 0 ? (parse(stdout) as ComposeFile) : undefined };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** docker-compose.yml as written (anchors merged, nothing interpolated). */
export function composeSource(): ComposeFile {
  return parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/** A compose duration such as "20s" or "1m30s", in milliseconds. */
export function durationMs(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h)/g)];
  if (parts.map(([part]) => part).join('') !== duration) throw new Error(`not a compose duration: ${duration}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((total, [, amount, suffix]) => total + Number(amount) * unit[suffix as keyof typeof unit], 0);
}

// --- Dockerfile ------------------------------------------------------------------------------------------------

export interface DockerStage {
  name: string;
  /** The stage or image it starts from. */
  from: string;
  instructions: Array<{ keyword: string; args: string }>;
}

/** The Dockerfile's build stages by name, each with its instructions (continuation lines joined, comments dropped). */
export function dockerStages(file = 'Dockerfile'): Map<string, DockerStage> {
  const lines = readRepoFile(file)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = new Map<string, DockerStage>();
  let current: DockerStage | undefined;
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      current = { name: name || `stage-${stages.size}`, from, instructions: [] };
      stages.set(current.name, current);
    } else if (current) {
      current.instructions.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') });
    }
  }
  return stages;
}

/** A stage's instructions, its ancestors' first: what the final image inherits (HEALTHCHECK, USER, ENV...). */
export function inheritedInstructions(stages: Map<string, DockerStage>, name: string): Array<{ keyword: string; args: string }> {
  const stage = stages.get(name);
  if (!stage) return [];
  return [...inheritedInstructions(stages, stage.from), ...stage.instructions];
}

/** The workspaces of the root package.json (packages/*, subgraphs/*, router), as directories. */
export function workspaceDirectories(): string[] {
  const { workspaces } = JSON.parse(readRepoFile('package.json')) as { workspaces: string[] };
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(repoRoot, parent))
      .filter((entry) => existsSync(join(repoRoot, parent, entry, 'package.json')))
      .map((entry) => `${parent}/${entry}`);
  });
}
