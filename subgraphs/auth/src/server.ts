// The auth subgraph as a service: its stores, rules and resolvers wired onto the platform it runs on.
import DataLoader from 'dataloader';
import { databaseQueryCounter } from '@pyairtable/common/data';
import { DrainLoop } from '@pyairtable/common/background';
import { EventHousekeeping, EventInbox, OutboxRelay, SqlOutbox, handledEventsCounter } from '@pyairtable/common/events';
import { FailureThrottle, applyRateLimitDirective, throttlePolicies } from '@pyairtable/common/graphql';
import { createMailer } from '@pyairtable/common/mail';
import { createLogger, createServiceMetrics } from '@pyairtable/common/observability';
import {
  buildSubgraphSchemaFromFile,
  connectSubgraphPlatform,
  createSubgraphService,
  subgraphEntry,
  type SubgraphDefinition,
  type SubgraphPlatform,
} from '@pyairtable/common/subgraphs';
import { loadAuthConfig, type AuthConfig } from './config.js';
import type { AuthContext } from './context.js';
import { AccountTokenStore } from './data/account-token-store.js';
import { RevocationRecords } from './data/revocation-records.js';
import { createAuthDatabase } from './data/database.js';
import { SideEffectWriter } from './data/side-effects.js';
import { SessionStore } from './data/session-store.js';
import { UserStore } from './data/user-store.js';
import { AccountLifecycle } from './domain/account-lifecycle.js';
import { AccountService } from './domain/accounts.js';
import { EVENT_CONSUMER_GROUP, InvitationEventHandler } from './domain/invitation-events.js';
import { LinkTokens } from './domain/link-tokens.js';
import { PasswordHasher, passwordWorkHistogram } from './domain/passwords.js';
import { DurableRevocations } from './domain/revocations.js';
import { SessionStarter } from './domain/sign-in.js';
import { loadSigningKeys } from './domain/signing-keys.js';
import { TokenIssuer } from './domain/tokens.js';
import { resolvers } from './resolvers/index.js';
import { REVOCATION_FEED_PATH, revocationFeed } from './resolvers/revocation-feed.js';

export const SERVICE_NAME = 'auth' as const;
export const DATABASE_SCHEMA = subgraphEntry(SERVICE_NAME).databaseSchema;
const SDL_FILE = new URL('../schema.graphql', import.meta.url);
const REVOCATION_PURGE_INTERVAL_MS = 60_000;

export async function createAuthSubgraph(
  config: AuthConfig,
  platform: SubgraphPlatform = connectSubgraphPlatform(config, SERVICE_NAME, DATABASE_SCHEMA),
) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createAuthDatabase(platform.databaseAdapter, databaseQueryCounter(metrics.registry));
  const mailer = createMailer({
    settings: config,
    nodeEnv: config.NODE_ENV,
    database,
    databaseSchema: DATABASE_SCHEMA,
    logger,
    mailbox: platform.mailbox,
    registry: metrics.registry,
  });
  const outbox = new SqlOutbox(database, DATABASE_SCHEMA);
  const sideEffects = new SideEffectWriter(outbox, mailer);
  const users = new UserStore(database, sideEffects, new EventInbox(DATABASE_SCHEMA));
  const relay = new OutboxRelay(outbox, platform.publishEvents, logger);
  const publishEvents = () =>
    relay.flush().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not publish domain events right away; the relay will retry');
    });
  const deliverMail = () => mailer.deliverSoon();
  const tokens = new TokenIssuer(await loadSigningKeys(config, logger), {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  const revocationRecords = new RevocationRecords(database);
  const revocations = new DurableRevocations(revocationRecords, platform.revocationChannel, tokens.revocationTtlSeconds, logger);
  const revocationPurge = new DrainLoop(
    async () => {
      await revocationRecords.purgeExpired(new Date());
    },
    logger,
    { work: 'purging expired revocations', pollIntervalMs: REVOCATION_PURGE_INTERVAL_MS },
  );
  const signIn = new SessionStarter(tokens);
  const passwords = new PasswordHasher(config.BCRYPT_COST, passwordWorkHistogram(metrics.registry));
  const linkTokens = new LinkTokens({
    verify_email: config.EMAIL_VERIFICATION_TTL_SECONDS,
    reset_password: config.PASSWORD_RESET_TTL_SECONDS,
    change_email: config.EMAIL_CHANGE_TTL_SECONDS,
  });
  const accounts = new AccountService({
    users,
    sessions: new SessionStore(database),
    tokens,
    signIn,
    linkTokens,
    passwords,
    loginFailures: new FailureThrottle(platform.rateLimiters, 'login-failures', {
      freeFailures: config.LOGIN_FREE_FAILURES,
      firstDelaySeconds: config.LOGIN_FAILURE_DELAY,
      maxDelaySeconds: config.LOGIN_FAILURE_MAX_DELAY,
      memorySeconds: config.LOGIN_FAILURE_MEMORY,
    }),
    revocations,
    adminEmails: config.ADMIN_EMAILS,
    publishEvents,
    deliverMail,
    logger,
  });
  const lifecycle = new AccountLifecycle({
    users,
    accountTokens: new AccountTokenStore(database, sideEffects),
    linkTokens,
    passwords,
    signIn,
    tokens,
    revocations,
    publishEvents,
    deliverMail,
    logger,
  });
  const invitationEvents = platform.subscribeToEvents(
    EVENT_CONSUMER_GROUP,
    new InvitationEventHandler(users, handledEventsCounter(metrics.registry), publishEvents),
  );

  const housekeeping = new EventHousekeeping({
    database,
    databaseSchema: DATABASE_SCHEMA,
    hasOutbox: true,
    consumerGroups: [EVENT_CONSUMER_GROUP],
    stream: platform.eventStream,
    retentionHours: config.EVENT_RETENTION_HOURS,
    registry: metrics.registry,
    logger,
  });
  const service = await createSubgraphService<AuthContext>({
    settings: config,
    schema: applyRateLimitDirective(buildSubgraphSchemaFromFile(SDL_FILE, resolvers), platform.rateLimiters, throttlePolicies(config)),
    logger,
    metrics,
    readinessChecks: [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...platform.readinessChecks],
    extraRoutes: (app) =>
      app
        .get('/.well-known/jwks.json', (_request, response) => {
          response.setHeader('cache-control', 'public, max-age=300');
          response.json(tokens.jwks);
        })
        .get(REVOCATION_FEED_PATH, revocationFeed(revocationRecords, config.ROUTER_SHARED_SECRET, logger)),
    createContext: (base) => ({
      ...base,
      accounts,
      lifecycle,
      userById: new DataLoader(async (ids: readonly string[]) => {
        const found = new Map((await users.findManyByIds(ids)).map((user) => [user.id, user]));
        return ids.map((id) => found.get(id) ?? null);
      }),
    }),
    closers: [...platform.closers, () => database.$disconnect()],
    background: [relay, mailer, invitationEvents, revocationPurge, housekeeping],
  });
  return { service, logger };
}

export const subgraph: SubgraphDefinition<AuthConfig> = { name: SERVICE_NAME, loadConfig: loadAuthConfig, create: createAuthSubgraph };
