/**
 * What the router needs from outside itself: the channel revocations are announced on and the per-client request
 * budget, in Redis or in this process, and in the one-process development graph the mailbox the subgraphs catch
 * mail in.
 */
import { closeRedis, createRedis, pingRedis } from '@pyairtable/common/data';
import type { Closer, ReadinessCheck } from '@pyairtable/common/http';
import { RedisRevocationChannel, type RevocationChannel } from '@pyairtable/common/identity';
import type { DevMailbox } from '@pyairtable/common/mail';
import { createLogger } from '@pyairtable/common/observability';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SERVICE_NAME, type RouterConfig } from './config.js';

export interface RouterInfrastructure {
  /** Where the auth subgraph announces revocations (the router also pulls them from auth). */
  revocationChannel: RevocationChannel;
  /** Requests per client IP per minute, counted across replicas. */
  clientRateLimiter: RateLimiterAbstract;
  /**
   * The mail the subgraphs of this process caught instead of sending (development without SMTP_URL). With one,
   * a development router shows it at /dev/mailbox; production routers have none.
   */
  mailbox?: DevMailbox;
  /** What /health reports besides the subgraphs (Redis). */
  healthChecks: ReadinessCheck[];
  closers: Closer[];
}

/** Production: both live in Redis, shared by every router replica; while Redis is away the budget is per process. */
export function connectRouterInfrastructure(config: RouterConfig): RouterInfrastructure {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  // Every request's rate-limit call goes through this connection: written one by one, they were 9% of the router's
  // busy time under load (the kernel's write per command); pipelined, one write carries those of one event-loop turn.
  const redis = createRedis(config.REDIS_URL, `pyairtable-${SERVICE_NAME}`, logger, { autoPipelining: true });
  return {
    revocationChannel: new RedisRevocationChannel(redis, config.REDIS_KEY_PREFIX, logger),
    clientRateLimiter: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_KEY_PREFIX}rate-limit:router-client`,
      points: config.RATE_LIMIT_PER_MINUTE,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: 'router-client', points: config.RATE_LIMIT_PER_MINUTE, duration: 60 }),
    }),
    healthChecks: [{ name: 'redis', check: () => pingRedis(redis) }],
    closers: [() => closeRedis(redis)],
  };
}

/**
 * The one-process graph: the revocation channel the auth subgraph announces on in memory, an in-memory budget, and
 * the mailbox its subgraphs catch mail in, if they do.
 */
export function inProcessRouterInfrastructure(
  config: RouterConfig,
  revocationChannel: RevocationChannel,
  mailbox?: DevMailbox,
): RouterInfrastructure {
  return {
    revocationChannel,
    clientRateLimiter: new RateLimiterMemory({ keyPrefix: 'router-client', points: config.RATE_LIMIT_PER_MINUTE, duration: 60 }),
    mailbox,
    healthChecks: [],
    closers: [],
  };
}
