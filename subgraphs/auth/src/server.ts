import DataLoader from 'dataloader';
import {
  OutboxRelay,
  RedisRevocationStore,
  applyRateLimitDirective,
  buildSubgraphSchemaFromFile,
  createLogger,
  createRedis,
  createServiceMetrics,
  createSubgraphService,
  databaseQueryCounter,
  postgresAdapter,
  redisEventPublisher,
  redisRateLimiters,
  type Closer,
  type EventPublisher,
  type RateLimiterFactory,
  type RevocationStore,
  type SqlDriverAdapterFactory,
} from '@pyairtable/common';
import type { AuthConfig } from './config.js';
import type { AuthContext } from './context.js';
import { createAuthDatabase } from './data/database.js';
import { OutboxStore } from './data/outbox.js';
import { SessionStore } from './data/session-store.js';
import { UserStore } from './data/user-store.js';
import { AccountService } from './domain/accounts.js';
import { PasswordHasher } from './domain/passwords.js';
import { loadSigningKeys } from './domain/signing-keys.js';
import { TokenIssuer } from './domain/tokens.js';
import { resolvers } from './resolvers/index.js';

export const SERVICE_NAME = 'auth';
export const DATABASE_SCHEMA = 'pyairtable_auth';
const SDL_FILE = new URL('../schema.graphql', import.meta.url);

/** Where the auth subgraph keeps state: Postgres and Redis in production, in-process stand-ins when embedded. */
export interface AuthInfrastructure {
  databaseAdapter: SqlDriverAdapterFactory;
  revocations: RevocationStore;
  rateLimiters: RateLimiterFactory;
  /** Where the outbox relay publishes domain events (the Redis stream; the in-process bus when embedded). */
  events: EventPublisher;
  closers: Closer[];
}

export function connectAuthInfrastructure(config: AuthConfig): AuthInfrastructure {
  const redis = createRedis(config.REDIS_URL, `pyairtable-${SERVICE_NAME}`);
  return {
    databaseAdapter: postgresAdapter(config.DATABASE_URL, config.DATABASE_POOL_SIZE, DATABASE_SCHEMA),
    revocations: new RedisRevocationStore(redis, config.REDIS_KEY_PREFIX),
    rateLimiters: redisRateLimiters(redis, config.REDIS_KEY_PREFIX),
    events: redisEventPublisher(redis, config.REDIS_KEY_PREFIX),
    closers: [() => redis.quit()],
  };
}

export async function createAuthSubgraph(config: AuthConfig, infrastructure = connectAuthInfrastructure(config)) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createAuthDatabase(infrastructure.databaseAdapter, databaseQueryCounter(metrics.registry));
  const users = new UserStore(database);
  const relay = new OutboxRelay(new OutboxStore(database), infrastructure.events, logger);
  const tokens = new TokenIssuer(await loadSigningKeys(config, logger), {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  const accounts = new AccountService({
    users,
    sessions: new SessionStore(database),
    tokens,
    passwords: new PasswordHasher(config.BCRYPT_COST),
    revocations: infrastructure.revocations,
    adminEmails: config.ADMIN_EMAILS,
    publishEvents: () =>
      relay.flush().catch((error: unknown) => {
        logger.warn({ err: error }, 'could not publish domain events right away; the relay will retry');
      }),
    logger,
  });

  const service = await createSubgraphService<AuthContext>({
    settings: config,
    schema: applyRateLimitDirective(buildSubgraphSchemaFromFile(SDL_FILE, resolvers), infrastructure.rateLimiters),
    logger,
    metrics,
    readinessChecks: [
      { name: 'database', check: () => database.$queryRaw`SELECT 1` },
      { name: 'redis', check: () => infrastructure.revocations.ping() },
    ],
    extraRoutes: (app) =>
      app.get('/.well-known/jwks.json', (_request, response) => {
        response.setHeader('cache-control', 'public, max-age=300');
        response.json(tokens.jwks);
      }),
    createContext: (base) => ({
      ...base,
      accounts,
      userById: new DataLoader(async (ids: readonly string[]) => {
        const found = new Map((await users.findManyByIds(ids)).map((user) => [user.id, user]));
        return ids.map((id) => found.get(id) ?? null);
      }),
    }),
    closers: [...infrastructure.closers, () => database.$disconnect(), () => relay.stop()],
  });
  relay.start();
  return { service, logger };
}
