import type { HttpService } from '../http/service.js';
import type { Logger } from '../observability/logger.js';
import type { SubgraphPlatform } from './platform.js';

/**
 * The one list of subgraphs. The router (its per-subgraph URL settings), the one-process runner, the tests
 * and the deployment checks all read it; supergraph.yaml, the Dockerfile, docker-compose.yml and k8s/ are
 * checked against it (tests/deployment, tests/schema). Adding a subgraph: README, "Adding a subgraph".
 */
export const SUBGRAPHS = [
  { name: 'auth', port: 8004, databaseSchema: 'pyairtable_auth' },
  { name: 'users', port: 8005, databaseSchema: 'pyairtable_users' },
  { name: 'workspaces', port: 8006, databaseSchema: 'pyairtable_workspaces' },
] as const satisfies readonly SubgraphEntry[];

export interface SubgraphEntry {
  /** The name in supergraph.yaml, and the package `@pyairtable/<name>-subgraph` under subgraphs/<name>. */
  name: string;
  /** Its default port (the setting `PORT` of the service, `<NAME>_PORT` of the one-process runner). */
  port: number;
  /** The Postgres schema that holds its tables (prisma/<name>/schema.prisma names the same). */
  databaseSchema: string;
}

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((subgraph) => subgraph.name);

/** What every subgraph package exports from `./server` as `subgraph`: how to read its settings and start it. */
export interface SubgraphDefinition<Config> {
  name: SubgraphName;
  /** Reads and validates the subgraph's settings (names every problem, throws ConfigError). */
  loadConfig(env: NodeJS.ProcessEnv): Readonly<Config>;
  /** Builds the subgraph's HTTP service on the given platform (by default, the one its settings connect to). */
  create(config: Config, platform?: SubgraphPlatform): Promise<{ service: HttpService; logger: Logger }>;
}

function isDefinitionOf(name: SubgraphName, candidate: unknown): candidate is SubgraphDefinition<unknown> {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    'name' in candidate &&
    candidate.name === name &&
    'loadConfig' in candidate &&
    typeof candidate.loadConfig === 'function' &&
    'create' in candidate &&
    typeof candidate.create === 'function'
  );
}

/**
 * Loads a subgraph's definition from its package (`@pyairtable/<name>-subgraph/server`). Loaded on demand,
 * so a process that runs one service (the router's image) never needs the others' code.
 */
export async function loadSubgraph(name: SubgraphName): Promise<SubgraphDefinition<unknown>> {
  const module: unknown = await import(`@pyairtable/${name}-subgraph/server`);
  const definition = typeof module === 'object' && module !== null && 'subgraph' in module ? module.subgraph : undefined;
  if (!isDefinitionOf(name, definition)) {
    throw new Error(`@pyairtable/${name}-subgraph/server must export "subgraph", a SubgraphDefinition named "${name}"`);
  }
  return definition;
}

export function subgraphEntry(name: SubgraphName): SubgraphEntry {
  const entry = SUBGRAPHS.find((subgraph) => subgraph.name === name);
  if (!entry) throw new Error(`no subgraph named "${name}" in the registry`);
  return entry;
}

export type SubgraphUrlSetting = `SUBGRAPH_URL_${Uppercase<SubgraphName>}`;

/** The router setting that overrides where a subgraph is reached: SUBGRAPH_URL_AUTH, SUBGRAPH_URL_USERS, ... */
export function subgraphUrlSetting(name: SubgraphName): SubgraphUrlSetting {
  return `SUBGRAPH_URL_${name.toUpperCase() as Uppercase<SubgraphName>}`;
}

export function isSubgraphName(name: string): name is SubgraphName {
  return SUBGRAPHS.some((subgraph) => subgraph.name === name);
}
