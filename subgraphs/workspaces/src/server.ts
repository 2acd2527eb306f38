import {
  HttpService,
  buildSubgraphSchemaFromFile,
  createLogger,
  createRedis,
  createServiceApp,
  createServiceMetrics,
  databaseQueryCounter,
  finishServiceApp,
  mountSubgraphGraphQL,
  postgresAdapter,
  redisEventSubscriber,
  type Closer,
  type EventSubscriber,
  type ReadinessCheck,
  type SqlDriverAdapterFactory,
} from '@pyairtable/common';
import type { WorkspacesConfig } from './config.js';
import type { WorkspacesContext } from './context.js';
import { createWorkspacesDatabase } from './data/database.js';
import { UserEventStore } from './data/user-event-store.js';
import { WorkspaceStore } from './data/workspace-store.js';
import { EVENT_CONSUMER_GROUP, UserEventHandler } from './domain/user-events.js';
import { WorkspaceService } from './domain/workspaces.js';
import { createWorkspaceLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';

export const SERVICE_NAME = 'workspaces';
export const DATABASE_SCHEMA = 'pyairtable_workspaces';
const SDL_FILE = new URL('../schema.graphql', import.meta.url);

/** Where the workspaces subgraph keeps state and hears of accounts: Postgres and Redis, or in-process stand-ins. */
export interface WorkspacesInfrastructure {
  databaseAdapter: SqlDriverAdapterFactory;
  /** The account events (user.registered, user.deleted) published by the auth subgraph. */
  subscribeToEvents: EventSubscriber;
  /** What /ready checks besides the database (Redis, when the events come through it). */
  readinessChecks: ReadinessCheck[];
  closers: Closer[];
}

export function connectWorkspacesInfrastructure(config: WorkspacesConfig): WorkspacesInfrastructure {
  const redis = createRedis(config.REDIS_URL, `pyairtable-${SERVICE_NAME}`);
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  return {
    databaseAdapter: postgresAdapter(config.DATABASE_URL, config.DATABASE_POOL_SIZE, DATABASE_SCHEMA),
    subscribeToEvents: redisEventSubscriber(redis, config.REDIS_KEY_PREFIX, logger),
    readinessChecks: [{ name: 'redis', check: () => redis.ping() }],
    closers: [() => redis.quit()],
  };
}

export async function createWorkspacesSubgraph(config: WorkspacesConfig, infrastructure = connectWorkspacesInfrastructure(config)) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createWorkspacesDatabase(infrastructure.databaseAdapter, databaseQueryCounter(metrics.registry));
  const store = new WorkspaceStore(database);

  const accountEvents = infrastructure.subscribeToEvents(EVENT_CONSUMER_GROUP, new UserEventHandler(new UserEventStore(database), logger));
  const workspaces = new WorkspaceService({ workspaces: store, catchUpWithAccounts: () => accountEvents.catchUp(), logger });

  const readinessChecks = [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...infrastructure.readinessChecks];
  const app = createServiceApp({ logger, metrics, readinessChecks });
  const graphql = await mountSubgraphGraphQL<WorkspacesContext>({
    app,
    schema: buildSubgraphSchemaFromFile(SDL_FILE, resolvers),
    logger,
    metrics,
    routerSharedSecret: config.ROUTER_SHARED_SECRET,
    exposeInternalDetails: config.NODE_ENV === 'development',
    createContext: (base) => ({
      ...base,
      workspaces,
      loaders: createWorkspaceLoaders(store, base.origin.identity?.userId ?? null),
    }),
  });
  finishServiceApp(app, logger);
  accountEvents.start();

  // Closed in reverse: the subscription stops (in-flight events finish) before the database and Redis go.
  const closers: Closer[] = [
    ...infrastructure.closers,
    () => database.$disconnect(),
    () => graphql.stop(),
    () => accountEvents.stop(),
  ];
  return { service: new HttpService(app, logger, closers, config.SHUTDOWN_TIMEOUT_MS, readinessChecks), logger };
}
