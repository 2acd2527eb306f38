import {
  buildSubgraphSchemaFromFile,
  connectEventConsumingSubgraph,
  createLogger,
  createServiceMetrics,
  createSubgraphService,
  databaseQueryCounter,
  handledEventsCounter,
  type EventConsumingSubgraphInfrastructure,
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

export type WorkspacesInfrastructure = EventConsumingSubgraphInfrastructure;

export function connectWorkspacesInfrastructure(config: WorkspacesConfig): WorkspacesInfrastructure {
  return connectEventConsumingSubgraph(config, SERVICE_NAME, DATABASE_SCHEMA);
}

export async function createWorkspacesSubgraph(config: WorkspacesConfig, infrastructure = connectWorkspacesInfrastructure(config)) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createWorkspacesDatabase(infrastructure.databaseAdapter, databaseQueryCounter(metrics.registry));
  const store = new WorkspaceStore(database);

  const accountEvents = infrastructure.subscribeToEvents(EVENT_CONSUMER_GROUP, new UserEventHandler(new UserEventStore(database), handledEventsCounter(metrics.registry), logger));
  const workspaces = new WorkspaceService({ workspaces: store, catchUpWithAccounts: () => accountEvents.catchUp(), logger });

  const service = await createSubgraphService<WorkspacesContext>({
    settings: config,
    schema: buildSubgraphSchemaFromFile(SDL_FILE, resolvers),
    logger,
    metrics,
    readinessChecks: [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...infrastructure.readinessChecks],
    createContext: (base) => ({
      ...base,
      workspaces,
      loaders: createWorkspaceLoaders(store, base.origin.identity?.userId ?? null),
    }),
    // Closed in reverse: the subscription stops (in-flight events finish) before the database and Redis go.
    closers: [...infrastructure.closers, () => database.$disconnect(), () => accountEvents.stop()],
  });
  accountEvents.start();
  return { service, logger };
}
