import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createAuthSubgraph } from '@pyairtable/auth-subgraph';
import {
  MemoryEventBus,
  MemoryRevocationStore,
  createLogger,
  memoryRateLimiters,
  type HttpService,
  type Logger,
} from '@pyairtable/common';
import { applyMigrations, pgTarget, pgliteTarget } from '@pyairtable/migrator';
import { createRouter, inProcessRouterInfrastructure } from '@pyairtable/router';
import { createUsersSubgraph } from '@pyairtable/users-subgraph';
import { createWorkspacesSubgraph } from '@pyairtable/workspaces-subgraph';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { loadAuthConfig } from '../../../subgraphs/auth/src/config.js';
import { loadUsersConfig } from '../../../subgraphs/users/src/config.js';
import { loadWorkspacesConfig } from '../../../subgraphs/workspaces/src/config.js';
import { loadRouterConfig } from '../../../router/src/config.js';
import { loadLocalGraphSettings, serviceEnvironment, type LocalGraphSettings } from './settings.js';

export interface LocalGraph {
  mode: 'embedded' | 'servers';
  routerUrl: string;
  subgraphUrls: Record<'auth' | 'users' | 'workspaces', string>;
  close(): Promise<void>;
}

/** The embedded stand-ins: one PGlite for every subgraph's schema, and in-process stores where Redis would be. */
async function embeddedInfrastructure(settings: LocalGraphSettings, logger: Logger) {
  const directory = resolve(settings.DATA_DIR, 'pglite');
  await mkdir(directory, { recursive: true });
  const database = await PGlite.create(directory);
  await applyMigrations({ target: pgliteTarget(database), log: (line) => logger.info(line) });
  const events = new MemoryEventBus(logger);
  const revocations = new MemoryRevocationStore();
  const noChecks = { readinessChecks: [], closers: [] };
  return {
    database,
    auth: { databaseAdapter: new PrismaPGlite(database), revocations, rateLimiters: memoryRateLimiters(), events, closers: [] },
    users: { databaseAdapter: new PrismaPGlite(database), subscribeToEvents: events.subscriber, ...noChecks },
    workspaces: { databaseAdapter: new PrismaPGlite(database), subscribeToEvents: events.subscriber, ...noChecks },
    revocations,
  };
}

/**
 * Starts the router and the three subgraphs in this process. Without DATABASE_URL and REDIS_URL it runs
 * on an embedded PostgreSQL (PGlite, persisted in DATA_DIR) with in-process stand-ins for Redis: the
 * development mode for a machine with only Node. With both set, it uses those servers.
 */
export async function startLocalGraph(env: NodeJS.ProcessEnv = process.env): Promise<LocalGraph> {
  const settings = loadLocalGraphSettings(env);
  const logger = createLogger('local-graph', settings.LOG_LEVEL);
  const serviceEnv = serviceEnvironment(settings, env);
  const configs = {
    auth: loadAuthConfig(serviceEnv),
    users: loadUsersConfig(serviceEnv),
    workspaces: loadWorkspacesConfig(serviceEnv),
  };

  const started: HttpService[] = [];
  let embeddedDatabase: PGlite | undefined;
  /** Embedded mode: the revocation list auth writes and the router reads, shared in memory. */
  let sharedRevocations: MemoryRevocationStore | undefined;
  const close = async () => {
    for (const service of started.reverse()) await service.close();
    if (embeddedDatabase) {
      await embeddedDatabase.close();
      // PGlite flags the process as failing while an instance is open; it is closed now.
      process.exitCode = 0;
    }
  };

  try {
    let services;
    if (settings.DATABASE_URL) {
      logger.info('using the PostgreSQL and Redis servers of DATABASE_URL and REDIS_URL');
      await applyMigrations({ target: pgTarget(settings.DATABASE_URL), log: (line) => logger.info(line) });
      services = {
        auth: await createAuthSubgraph(configs.auth),
        users: await createUsersSubgraph(configs.users),
        workspaces: await createWorkspacesSubgraph(configs.workspaces),
      };
    } else {
      logger.warn(
        { dataDir: resolve(settings.DATA_DIR) },
        'development mode: embedded PostgreSQL (PGlite) and in-process stores in place of Redis; set DATABASE_URL and REDIS_URL to use real servers',
      );
      const embedded = await embeddedInfrastructure(settings, logger);
      embeddedDatabase = embedded.database;
      services = {
        auth: await createAuthSubgraph(configs.auth, embedded.auth),
        users: await createUsersSubgraph(configs.users, embedded.users),
        workspaces: await createWorkspacesSubgraph(configs.workspaces, embedded.workspaces),
      };
      sharedRevocations = embedded.revocations;
    }

    const ports = { auth: settings.AUTH_PORT, users: settings.USERS_PORT, workspaces: settings.WORKSPACES_PORT };
    const subgraphUrls = {} as LocalGraph['subgraphUrls'];
    for (const name of ['auth', 'users', 'workspaces'] as const) {
      started.push(services[name].service);
      subgraphUrls[name] = (await services[name].service.listen(ports[name], settings.HOST)).url;
    }

    const routerConfig = loadRouterConfig({
      ...serviceEnv,
      SUBGRAPH_URL_AUTH: `${subgraphUrls.auth}/graphql`,
      SUBGRAPH_URL_USERS: `${subgraphUrls.users}/graphql`,
      SUBGRAPH_URL_WORKSPACES: `${subgraphUrls.workspaces}/graphql`,
    });
    const router = sharedRevocations
      ? await createRouter(routerConfig, inProcessRouterInfrastructure(routerConfig, sharedRevocations))
      : await createRouter(routerConfig);
    started.push(router.service);
    const { url: routerUrl } = await router.service.listen(settings.PORT, settings.HOST);
    return { mode: settings.DATABASE_URL ? 'servers' : 'embedded', routerUrl, subgraphUrls, close };
  } catch (error) {
    await close();
    throw error;
  }
}
