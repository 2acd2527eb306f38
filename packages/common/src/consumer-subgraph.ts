import { z } from 'zod';
import type { Closer, ReadinessCheck } from './http.js';
import { postgresAdapter, type SqlDriverAdapterFactory } from './database.js';
import { redisEventSubscriber } from './events/redis-streams.js';
import type { EventSubscriber } from './events/subscription.js';
import { createLogger } from './logger.js';
import { createRedis } from './redis.js';
import { subgraphServiceSettings } from './config.js';

/** Settings of a subgraph that consumes the account events. */
export const eventConsumingSubgraphSettings = {
  ...subgraphServiceSettings,
  /** This replica's name in its consumer group; defaults to host name and process id. */
  EVENT_CONSUMER_NAME: z.string().trim().min(1).optional(),
};

const eventConsumingSubgraphSchema = z.object(eventConsumingSubgraphSettings);
type EventConsumingSubgraphConfig = z.infer<typeof eventConsumingSubgraphSchema>;

/**
 * Where a subgraph that consumes account events (users, workspaces) keeps state and hears of accounts:
 * Postgres and Redis in production, in-process stand-ins in the embedded development mode.
 */
export interface EventConsumingSubgraphInfrastructure {
  databaseAdapter: SqlDriverAdapterFactory;
  /** The account events (user.registered, user.deleted) the auth subgraph publishes. */
  subscribeToEvents: EventSubscriber;
  /** What /ready checks besides the database (Redis, when the events come through it). */
  readinessChecks: ReadinessCheck[];
  closers: Closer[];
}

export function connectEventConsumingSubgraph(
  config: EventConsumingSubgraphConfig,
  service: string,
  databaseSchema: string,
): EventConsumingSubgraphInfrastructure {
  const redis = createRedis(config.REDIS_URL, `pyairtable-${service}`);
  const logger = createLogger(service, config.LOG_LEVEL);
  return {
    databaseAdapter: postgresAdapter(config.DATABASE_URL, config.DATABASE_POOL_SIZE, databaseSchema),
    subscribeToEvents: redisEventSubscriber(redis, config.REDIS_KEY_PREFIX, logger, {
      ...(config.EVENT_CONSUMER_NAME ? { consumerName: config.EVENT_CONSUMER_NAME } : {}),
    }),
    readinessChecks: [{ name: 'redis', check: () => redis.ping() }],
    closers: [() => redis.quit()],
  };
}
