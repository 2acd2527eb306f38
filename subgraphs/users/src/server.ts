import {
  HttpService,
  buildSubgraphSchemaFromFile,
  createLogger,
  createRedis,
  createServiceApp,
  createServiceMetrics,
  databaseQueryCounter,
  finishServiceApp,
  handledEventsCounter,
  mountSubgraphGraphQL,
  postgresAdapter,
  redisEventSubscriber,
  type Closer,
  type EventSubscriber,
  type ReadinessCheck,
  type SqlDriverAdapterFactory,
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

/** Where the users subgraph keeps state and hears of accounts: Postgres and Redis, or in-process stand-ins. */
export interface UsersInfrastructure {
  databaseAdapter: SqlDriverAdapterFactory;
  /** The account events (user.registered, user.deleted) the auth subgraph publishes. */
  subscribeToEvents: EventSubscriber;
  /** What /ready checks besides the database (Redis, when the events come through it). */
  readinessChecks: ReadinessCheck[];
  closers: Closer[];
}

export function connectUsersInfrastructure(config: UsersConfig): UsersInfrastructure {
  const redis = createRedis(config.REDIS_URL, `pyairtable-${SERVICE_NAME}`);
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  return {
    databaseAdapter: postgresAdapter(config.DATABASE_URL, config.DATABASE_POOL_SIZE, DATABASE_SCHEMA),
    subscribeToEvents: redisEventSubscriber(redis, config.REDIS_KEY_PREFIX, logger, {
      ...(config.EVENT_CONSUMER_NAME ? { consumerName: config.EVENT_CONSUMER_NAME } : {}),
    }),
    readinessChecks: [{ name: 'redis', check: () => redis.ping() }],
    closers: [() => redis.quit()],
  };
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

  const readinessChecks = [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...infrastructure.readinessChecks];
  const app = createServiceApp({ logger, metrics, readinessChecks });
  const graphql = await mountSubgraphGraphQL<UsersContext>({
    app,
    schema: buildSubgraphSchemaFromFile(SDL_FILE, resolvers),
    logger,
    metrics,
    routerSharedSecret: config.ROUTER_SHARED_SECRET,
    exposeInternalDetails: config.NODE_ENV === 'development',
    createContext: (base) => ({ ...base, profiles, profileById: profiles.createLoader() }),
  });
  finishServiceApp(app, logger);
  accountEvents.start();

  const closers: Closer[] = [...infrastructure.closers, () => database.$disconnect(), () => graphql.stop(), () => accountEvents.stop()];
  return { service: new HttpService(app, logger, closers, config.SHUTDOWN_TIMEOUT_MS, readinessChecks), logger };
}
