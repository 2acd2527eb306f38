// The users subgraph as a service: its stores, rules, event consumer and resolvers wired onto the platform.
import { databaseQueryCounter } from '@pyairtable/common/data';
import { EventCatchUp, EventHousekeeping, EventInbox, handledEventsCounter } from '@pyairtable/common/events';
import { createLogger, createServiceMetrics } from '@pyairtable/common/observability';
import {
  buildSubgraphSchemaFromFile,
  connectSubgraphPlatform,
  createSubgraphService,
  subgraphEntry,
  type SubgraphDefinition,
  type SubgraphPlatform,
} from '@pyairtable/common/subgraphs';
import { loadUsersConfig, type UsersConfig } from './config.js';
import type { UsersContext } from './context.js';
import { createUsersDatabase } from './data/database.js';
import { ProfileStore } from './data/profile-store.js';
import { EVENT_CONSUMER_GROUP, ProfileEventHandler } from './domain/profile-events.js';
import { ProfileService } from './domain/profiles.js';
import { resolvers } from './resolvers/index.js';

export const SERVICE_NAME = 'users' as const;
export const DATABASE_SCHEMA = subgraphEntry(SERVICE_NAME).databaseSchema;
const SDL_FILE = new URL('../schema.graphql', import.meta.url);

export async function createUsersSubgraph(
  config: UsersConfig,
  platform: SubgraphPlatform = connectSubgraphPlatform(config, SERVICE_NAME, DATABASE_SCHEMA),
) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createUsersDatabase(platform.databaseAdapter, databaseQueryCounter(metrics.registry));
  const store = new ProfileStore(database, new EventInbox(DATABASE_SCHEMA));

  const accountEvents = platform.subscribeToEvents(EVENT_CONSUMER_GROUP, new ProfileEventHandler(store, handledEventsCounter(metrics.registry)));
  const profiles = new ProfileService({ profiles: store, accounts: new EventCatchUp(() => accountEvents.catchUp(), logger) });

  const housekeeping = new EventHousekeeping({
    database,
    databaseSchema: DATABASE_SCHEMA,
    hasOutbox: false,
    consumerGroups: [EVENT_CONSUMER_GROUP],
    stream: platform.eventStream,
    retentionHours: config.EVENT_RETENTION_HOURS,
    registry: metrics.registry,
    logger,
  });
  const service = await createSubgraphService<UsersContext>({
    settings: config,
    schema: buildSubgraphSchemaFromFile(SDL_FILE, resolvers),
    logger,
    metrics,
    readinessChecks: [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...platform.readinessChecks],
    createContext: (base) => ({ ...base, profiles, profileById: profiles.createLoader() }),
    closers: [...platform.closers, () => database.$disconnect()],
    background: [accountEvents, housekeeping],
  });
  return { service, logger };
}

export const subgraph: SubgraphDefinition<UsersConfig> = { name: SERVICE_NAME, loadConfig: loadUsersConfig, create: createUsersSubgraph };
