// The whole graph in one process: every subgraph of the registry and the router, embedded or on real servers.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MemoryEventBus } from '@pyairtable/common/events';
import { memoryRateLimiters } from '@pyairtable/common/graphql';
import type { HttpService } from '@pyairtable/common/http';
import { MemoryRevocationStore } from '@pyairtable/common/identity';
import { createLogger, type Logger } from '@pyairtable/common/observability';
import { SUBGRAPHS, loadSubgraph, subgraphUrlSetting, type SubgraphName, type SubgraphPlatform } from '@pyairtable/common/subgraphs';
import { applyMigrations, pgTarget, pgliteTarget } from '@pyairtable/migrator';
import { loadRouterConfig } from '@pyairtable/router/config';
import { createRouter, inProcessRouterInfrastructure } from '@pyairtable/router/server';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { loadLocalGraphSettings, serviceEnvironment, subgraphPort } from './settings.js';

export interface LocalGraph {
  mode: 'embedded' | 'servers';
  routerUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  close(): Promise<void>;
}

/** The embedded stand-ins: one PGlite for every subgraph's schema, and in-process stores where Redis would be. */
async function embeddedPlatform(dataDir: string, logger: Logger) {
  const directory = resolve(dataDir, 'pglite');
  await mkdir(directory, { recursive: true });
  const database = await PGlite.create(directory);
  await applyMigrations({ target: pgliteTarget(database), log: (line) => logger.info(line) });
  const events = new MemoryEventBus(logger);
  const revocations = new MemoryRevocationStore();
  const rateLimiters = memoryRateLimiters();
  const platformFor = (): SubgraphPlatform => ({
    databaseAdapter: new PrismaPGlite(database),
    revocations,
    rateLimiters,
    publishEvents: events,
    subscribeToEvents: events.subscriber,
    readinessChecks: [],
    closers: [],
  });
  return { database, revocations, platformFor };
}

/**
 * Starts the router and every subgraph in this process. Without DATABASE_URL and REDIS_URL it runs on an
 * embedded PostgreSQL (PGlite, persisted in DATA_DIR) with in-process stand-ins for Redis: the development
 * mode for a machine with only Node. With both set, it uses those servers.
 */
export async function startLocalGraph(env: NodeJS.ProcessEnv = process.env): Promise<LocalGraph> {
  const settings = loadLocalGraphSettings(env);
  const logger = createLogger('local-graph', settings.LOG_LEVEL);
  const serviceEnv = serviceEnvironment(settings, env);

  const started: HttpService[] = [];
  let embedded: Awaited<ReturnType<typeof embeddedPlatform>> | undefined;
  const close = async () => {
    for (const service of started.reverse()) await service.close();
    if (embedded) {
      await embedded.database.close();
      // PGlite flags the process as failing while an instance is open; it is closed now.
      process.exitCode = 0;
    }
  };

  try {
    if (settings.DATABASE_URL) {
      logger.info('using the PostgreSQL and Redis servers of DATABASE_URL and REDIS_URL');
      await applyMigrations({ target: pgTarget(settings.DATABASE_URL), log: (line) => logger.info(line) });
    } else {
      logger.warn(
        { dataDir: resolve(settings.DATA_DIR) },
        'development mode: embedded PostgreSQL (PGlite) and in-process stores in place of Redis; set DATABASE_URL and REDIS_URL to use real servers',
      );
      embedded = await embeddedPlatform(settings.DATA_DIR, logger);
    }

    const subgraphUrls = {} as Record<SubgraphName, string>;
    const routerEnv: NodeJS.ProcessEnv = { ...serviceEnv };
    for (const { name } of SUBGRAPHS) {
      const subgraph = await loadSubgraph(name);
      const config = subgraph.loadConfig(serviceEnv);
      const { service } = await subgraph.create(config, embedded?.platformFor());
      started.push(service);
      subgraphUrls[name] = (await service.listen(subgraphPort(settings, name), settings.HOST)).url;
      routerEnv[subgraphUrlSetting(name)] = `${subgraphUrls[name]}/graphql`;
    }

    const routerConfig = loadRouterConfig(routerEnv);
    const router = embedded
      ? await createRouter(routerConfig, inProcessRouterInfrastructure(routerConfig, embedded.revocations))
      : await createRouter(routerConfig);
    started.push(router.service);
    const { url: routerUrl } = await router.service.listen(settings.PORT, settings.HOST);
    return { mode: embedded ? 'embedded' : 'servers', routerUrl, subgraphUrls, close };
  } catch (error) {
    await close();
    throw error;
  }
}
