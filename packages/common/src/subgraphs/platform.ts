import { z } from 'zod';
import { subgraphServiceSettings } from '../config/settings.js';
import { postgresAdapter, type SqlDriverAdapterFactory } from '../data/database.js';
import { closeRedis, createRedis, pingRedis } from '../data/redis.js';
import type { EventPublisher } from '../events/outbox-relay.js';
import type { EventStreamMaintenance } from '../events/housekeeping.js';
import { redisEventPublisher, redisEventStreamMaintenance, redisEventSubscriber } from '../events/redis-streams.js';
import type { EventSubscriber } from '../events/subscription.js';
import { redisRateLimiters, type RateLimiterFactory } from '../graphql/rate-limit.js';
import type { Closer, ReadinessCheck } from '../http/service.js';
import { RedisRevocationChannel, type RevocationChannel } from '../identity/revocations.js';
import type { DevMailbox } from '../mail/dev-mailbox.js';
import { createLogger } from '../observability/logger.js';

/** Settings of a subgraph that runs on the platform: its database, Redis, and its name among event consumers. */
export const platformSettings = {
  ...subgraphServiceSettings,
  /** This replica's name in its consumer groups; defaults to host name and process id. */
  EVENT_CONSUMER_NAME: z.string().trim().min(1).optional(),
  /** How long published outbox rows and records of processed events are kept before they are purged. */
  EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
};

export type PlatformConfig = z.infer<z.ZodObject<typeof platformSettings>>;

/**
 * Where a subgraph keeps state and hears from the others: PostgreSQL and Redis in production, in-process
 * stand-ins in the embedded development mode. Each subgraph takes what it uses.
 */
export interface SubgraphPlatform {
  /** A Prisma driver adapter confined to the subgraph's own Postgres schema. */
  databaseAdapter: SqlDriverAdapterFactory;
  /** Where revocations are announced to the routers the moment they are recorded. */
  revocationChannel: RevocationChannel;
  rateLimiters: RateLimiterFactory;
  /** Where an outbox relay publishes the subgraph's domain events. */
  publishEvents: EventPublisher;
  /** Consumer groups over every subgraph's domain events. */
  subscribeToEvents: EventSubscriber;
  /** Trimming and lag of the event stream; none for the in-process bus (it keeps nothing). */
  eventStream?: EventStreamMaintenance;
  /**
   * Development without SMTP_URL: where every subgraph's caught mail goes, one mailbox the router shows at
   * /dev/mailbox. Undefined in production (mail is sent over SMTP).
   */
  mailbox?: DevMailbox;
  /** What /health checks besides the database (Redis; not /ready: a subgraph serves without it). */
  readinessChecks: ReadinessCheck[];
  closers: Closer[];
}

/** The production platform: a pooled Postgres adapter on `databaseSchema` and one Redis connection. */
export function connectSubgraphPlatform(config: PlatformConfig, service: string, databaseSchema: string): SubgraphPlatform {
  const logger = createLogger(service, config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL, `pyairtable-${service}`, logger);
  return {
    databaseAdapter: postgresAdapter(config.DATABASE_URL, config.DATABASE_POOL_SIZE, databaseSchema, logger),
    revocationChannel: new RedisRevocationChannel(redis, config.REDIS_KEY_PREFIX, logger),
    rateLimiters: redisRateLimiters(redis, config.REDIS_KEY_PREFIX),
    publishEvents: redisEventPublisher(redis, config.REDIS_KEY_PREFIX),
    subscribeToEvents: redisEventSubscriber(redis, config.REDIS_KEY_PREFIX, logger, {
      ...(config.EVENT_CONSUMER_NAME ? { consumerName: config.EVENT_CONSUMER_NAME } : {}),
    }),
    eventStream: redisEventStreamMaintenance(redis, config.REDIS_KEY_PREFIX),
    readinessChecks: [{ name: 'redis', check: () => pingRedis(redis), healthOnly: true }],
    closers: [() => closeRedis(redis)],
  };
}
