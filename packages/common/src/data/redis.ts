import { Redis } from 'ioredis';

export { Redis };

/** A Redis connection that fails requests quickly while disconnected instead of queueing them forever. */
export function createRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}

/** Every key this project writes starts with the configured prefix, so runs and deployments stay apart. */
export function keyWithPrefix(prefix: string, ...parts: string[]): string {
  return `${prefix}${parts.join(':')}`;
}
