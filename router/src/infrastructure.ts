/**
 * What the router needs from outside itself: the revocation list and the per-client request budget, in Redis or
 * in this process, and in the one-process development graph the mailbox the subgraphs catch mail in.
 */
import { createRedis } from '@pyairtable/common/data';
import type { Closer } from '@pyairtable/common/http';
import { RedisRevocationStore, type RevocationStore } from '@pyairtable/common/identity';
import type { DevMailbox } from '@pyairtable/common/mail';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SERVICE_NAME, type RouterConfig } from './config.js';

export interface RouterInfrastructure {
  revocations: RevocationStore;
  /** Requests per client IP per minute, counted across replicas. */
  clientRateLimiter: RateLimiterAbstract;
  /**
   * The mail the subgraphs of this process caught instead of sending (development without SMTP_URL). With one,
   * a development router shows it at /dev/mailbox; production routers have none.
   */
  mailbox?: DevMailbox;
  closers: Closer[];
}

/** Production: both live in Redis, shared by every router replica. */
export function connectRouterInfrastructure(config: RouterConfig): RouterInfrastructure {
  const redis = createRedis(config.REDIS_URL, `pyairtable-${SERVICE_NAME}`);
  return {
    revocations: new RedisRevocationStore(redis, config.REDIS_KEY_PREFIX),
    clientRateLimiter: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_KEY_PREFIX}rate-limit:router-client`,
      points: config.RATE_LIMIT_PER_MINUTE,
      duration: 60,
    }),
    closers: [() => redis.quit()],
  };
}

/**
 * The one-process graph: the revocation list the auth subgraph writes in memory, an in-memory budget, and the
 * mailbox its subgraphs catch mail in, if they do.
 */
export function inProcessRouterInfrastructure(config: RouterConfig, revocations: RevocationStore, mailbox?: DevMailbox): RouterInfrastructure {
  return {
    revocations,
    clientRateLimiter: new RateLimiterMemory({ keyPrefix: 'router-client', points: config.RATE_LIMIT_PER_MINUTE, duration: 60 }),
    mailbox,
    closers: [],
  };
}
