// The workspaces subgraph as a service: its stores, rules, event consumer, outbox relay, mailer and resolvers
// wired onto the platform.
import { databaseQueryCounter } from '@pyairtable/common/data';
import { EventCatchUp, EventHousekeeping, EventInbox, OutboxRelay, SqlOutbox, handledEventsCounter } from '@pyairtable/common/events';
import { applyRateLimitDirective, throttlePolicies } from '@pyairtable/common/graphql';
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
import { loadWorkspacesConfig, type WorkspacesConfig } from './config.js';
import type { WorkspacesContext } from './context.js';
import { createWorkspacesDatabase } from './data/database.js';
import { InvitationStore } from './data/invitation-store.js';
import { UserEventStore } from './data/user-event-store.js';
import { WorkspaceStore } from './data/workspace-store.js';
import { InvitationService } from './domain/invitations.js';
import { EVENT_CONSUMER_GROUP, UserEventHandler } from './domain/user-events.js';
import { WorkspaceService } from './domain/workspaces.js';
import { createWorkspaceLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';

export const SERVICE_NAME = 'workspaces' as const;
export const DATABASE_SCHEMA = subgraphEntry(SERVICE_NAME).databaseSchema;
const SDL_FILE = new URL('../schema.graphql', import.meta.url);

export async function createWorkspacesSubgraph(
  config: WorkspacesConfig,
  platform: SubgraphPlatform = connectSubgraphPlatform(config, SERVICE_NAME, DATABASE_SCHEMA),
) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const database = createWorkspacesDatabase(platform.databaseAdapter, databaseQueryCounter(metrics.registry));
  const store = new WorkspaceStore(database);

  const accountEvents = platform.subscribeToEvents(
    EVENT_CONSUMER_GROUP,
    new UserEventHandler(new UserEventStore(database, new EventInbox(DATABASE_SCHEMA)), handledEventsCounter(metrics.registry), logger),
  );
  const accounts = new EventCatchUp(() => accountEvents.catchUp(), logger);
  const workspaces = new WorkspaceService({ workspaces: store, accounts, logger });
  const outbox = new SqlOutbox(database, DATABASE_SCHEMA);
  const relay = new OutboxRelay(outbox, platform.publishEvents, logger);
  const mailer = createMailer({
    settings: config,
    nodeEnv: config.NODE_ENV,
    database,
    databaseSchema: DATABASE_SCHEMA,
    logger,
    mailbox: platform.mailbox,
    registry: metrics.registry,
  });
  const invitationStore = new InvitationStore(database);
  const invitations = new InvitationService({
    workspaces: store,
    invitations: invitationStore,
    accounts,
    mailer,
    outbox,
    publishEvents: () => {
      relay.flush().catch((error: unknown) => {
        logger.warn({ err: error }, 'could not publish domain events right away; the relay will retry');
      });
    },
    invitationTtlSeconds: config.INVITATION_TTL_SECONDS,
    logger,
  });

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
  const service = await createSubgraphService<WorkspacesContext>({
    settings: config,
    // Invitations send mail to any address: throttled per sender.
    schema: applyRateLimitDirective(buildSubgraphSchemaFromFile(SDL_FILE, resolvers), platform.rateLimiters, throttlePolicies(config)),
    logger,
    metrics,
    readinessChecks: [{ name: 'database', check: () => database.$queryRaw`SELECT 1` }, ...platform.readinessChecks],
    createContext: (base) => ({
      ...base,
      workspaces,
      invitations,
      loaders: createWorkspaceLoaders(store, invitationStore, base.origin.identity?.userId ?? null),
    }),
    // The subscription, the outbox relay and the mailer stop (what is in flight finishes) before the database and Redis go.
    closers: [...platform.closers, () => database.$disconnect()],
    background: [mailer, relay, accountEvents, housekeeping],
  });
  return { service, logger };
}

export const subgraph: SubgraphDefinition<WorkspacesConfig> = {
  name: SERVICE_NAME,
  loadConfig: loadWorkspacesConfig,
  create: createWorkspacesSubgraph,
};
