import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

export { Redis };

/** How long a Redis command may take before it fails: a request that needs Redis fails fast while it is away. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** The longest pause between reconnection attempts while Redis is away. */
const MAX_RECONNECT_DELAY_MS = 1_000;

export interface RedisOptions {
  /**
   * Sends the commands issued in one event-loop turn with one write (ioredis's auto-pipelining), for a connection
   * that many concurrent requests use at once. Only while the connection is ready: timeouts and the refusal while
   * Redis is away stay as they are.
   */
  autoPipelining?: boolean;
}

/**
 * A Redis connection that fails commands at once while disconnected (no offline queue) and within a second when
 * Redis does not answer, reconnects by itself, and logs its errors as JSON lines through the service's logger:
 * once when it goes away, once when it is back.
 */
export function createRedis(url: string, connectionName: string, logger: Logger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName,
    enableAutoPipelining: options.autoPipelining ?? false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  });
  reportRedisErrors(redis, logger.child({ dependency: 'redis', connection: connectionName }));
  return redis;
}

/** Logs a connection's errors (an 'error' event without a listener would print raw text): once per outage. */
export function reportRedisErrors(redis: Redis, logger: Logger): void {
  let down = false;
  redis.on('error', (error: unknown) => {
    if (down) {
      logger.debug({ err: error }, 'Redis still unreachable');
      return;
    }
    down = true;
    logger.error({ err: error }, 'Redis connection error; commands that need it fail until it is back');
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis connection back');
    down = false;
  });
}

/**
 * Answers once Redis does: while the first connection is still being made (at startup) it waits for it, up to
 * REDIS_COMMAND_TIMEOUT_MS; once connected, it is a PING.
 */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status === 'connecting' || redis.status === 'connect' || redis.status === 'wait') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error('Redis is not connected'));
      }, REDIS_COMMAND_TIMEOUT_MS);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', onReady);
    });
  }
  await redis.ping();
}

/**
 * Closes a connection: QUIT when Redis answers, else it stops reconnecting at once (a QUIT refused while Redis is
 * away would leave it retrying forever, holding the process open).
 */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** Every key this project writes starts with the configured prefix, so runs and deployments stay apart. */
export function keyWithPrefix(prefix: string, ...parts: string[]): string {
  return `${prefix}${parts.join(':')}`;
}
