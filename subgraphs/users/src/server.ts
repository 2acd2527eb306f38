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
import type { UsersConfig } from './config.js';
import type { UsersContext } from './context.js';
import { createUsersDatabase } from './data/database.js';
import { ProfileStore } from './data/profile-store.js';
import { EVENT_CONSUMER_GROUP, ProfileEventHandler } from './domain/profile-events.js';
import { ProfileService } from './domain/profiles.js';
import { resolvers } from './resolvers/index.js';

export const SERVICE_NAME = 'users';
export const DATABASE_SCHEMA = 'pyairtable_users';
const SDL_FILE = new URL('../schema.graphql', import.meta.url);

export type UsersInfrastructure = EventConsumingSubgraphInfrastructure;

export function connectUsersInfrastructure(config: UsersConfig): UsersInfrastructure {
  return connectEventConsumingSubgraph(config, SERVICE_NAME, DATABASE_SCHEMA);
}

export async function createUsersSubgraph(config: UsersConfig, infrastructure = connectUsersInfrastructure(config)) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createUsersDatabase(infrastructure.databaseAdapter, databaseQueryCounter(metrics.registry));
  const store = new ProfileStore(database);

  const accountEvents = infrastructure.subscribeToEvents(
    EVENT_CONSUMER_GROUP,
    new ProfileEventHandler(store, handledEventsCounter(metrics.registry)),
  );
  const profiles = new ProfileService({ profiles: store, catchUpWithAccounts: () => accountEvents.catchUp(), logger });

  const service = await createSubgraphService<UsersContext>({
    settings: config,
    schema: buildSubgraphSchemaFromFile(SDL_FILE, resolvers),
    logger,
    metrics,
    readinessChecks: [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...infrastructure.readinessChecks],
    createContext: (base) => ({ ...base, profiles, profileById: profiles.createLoader() }),
    closers: [...infrastructure.closers, () => database.$disconnect(), () => accountEvents.stop()],
  });
  accountEvents.start();
  return { service, logger };
}
