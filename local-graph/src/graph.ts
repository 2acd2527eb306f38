// The whole graph in one process: every subgraph of the registry and the router, embedded or on real servers.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { loadConfig } from '@pyairtable/common/config';
import { MemoryEventBus } from '@pyairtable/common/events';
import { memoryRateLimiters } from '@pyairtable/common/graphql';
import type { HttpService } from '@pyairtable/common/http';
import { MemoryRevocationChannel } from '@pyairtable/common/identity';
import { DevMailbox } from '@pyairtable/common/mail';
import { createLogger, type Logger } from '@pyairtable/common/observability';
import {
  SUBGRAPHS,
  connectSubgraphPlatform,
  loadSubgraph,
  platformSettings,
  subgraphUrlSetting,
  type SubgraphName,
  type SubgraphPlatform,
} from '@pyairtable/common/subgraphs';
import { applyMigrations, pgTarget } from '@pyairtable/migrator';
import { loadRouterConfig } from '@pyairtable/router/config';
import { z } from 'zod';
import { browserUrl, loadLocalGraphSettings, serviceEnvironment, subgraphPort, subgraphPortSetting } from './settings.js';
import { WorkerDatabase } from './worker-database.js';

export interface LocalGraph {
  mode: 'embedded' | 'servers';
  routerUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Where every service's mail is caught when SMTP_URL is unset (the router lists it at /dev/mailbox). */
  mailbox: DevMailbox | undefined;
  close(): Promise<void>;
}

/** A port another process holds, named with the setting that moves it: one line for the user, not a stack. */
export class PortInUseError extends Error {
  constructor(
    readonly setting: string,
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} on ${host} is already in use: stop what listens there, or set ${setting} to another port (${setting}=0 picks a free one)`);
  }
}

async function listenOrNamePort(service: HttpService, port: number, host: string, setting: string) {
  try {
    return await service.listen(port, host);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') throw new PortInUseError(setting, port, host);
    throw error;
  }
}

/**
 * The embedded stand-ins: one PGlite for every subgraph's schema, in a thread of its own (database-thread.ts), and
 * in-process stores where Redis would be.
 */
function embeddedPlatform(database: WorkerDatabase, logger: Logger, mailbox: DevMailbox | undefined) {
  const events = new MemoryEventBus(logger);
  const revocationChannel = new MemoryRevocationChannel();
  const rateLimiters = memoryRateLimiters();
  const platformFor = (): SubgraphPlatform => ({
    databaseAdapter: database.adapterFactory(),
    revocationChannel,
    rateLimiters,
    publishEvents: events,
    subscribeToEvents: events.subscriber,
    mailbox,
    readinessChecks: [],
    closers: [],
  });
  return { database, revocationChannel, platformFor };
}

/** The real servers' platform for one subgraph, with the shared mailbox when mail is caught. */
function serversPlatform(name: SubgraphName, databaseSchema: string, serviceEnv: NodeJS.ProcessEnv, mailbox: DevMailbox): SubgraphPlatform {
  const config = loadConfig(`${name} subgraph`, z.object(platformSettings), serviceEnv);
  return { ...connectSubgraphPlatform(config, name, databaseSchema), mailbox };
}

/**
 * A free port for the router when PORT is 0: mail links must name the router's address before the subgraphs
 * that write them start, and the router starts after them (it is given their addresses).
 */
async function freePort(host: string): Promise<number> {
  const server = createServer().listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * Starts the router and every subgraph in this process. Without DATABASE_URL and REDIS_URL it runs on an
 * embedded PostgreSQL (PGlite, persisted in DATA_DIR) with in-process stand-ins for Redis: the development
 * mode for a machine with only Node. With both set, it uses those servers. Without SMTP_URL, every service's
 * mail is caught in one mailbox, listed at the router's /dev/mailbox, and its links open the router's pages.
 */
export async function startLocalGraph(env: NodeJS.ProcessEnv = process.env): Promise<LocalGraph> {
  const settings = loadLocalGraphSettings(env);
  const logger = createLogger('local-graph', settings.LOG_LEVEL);
  const routerPort = settings.PORT === 0 && settings.PUBLIC_APP_URL === undefined ? await freePort(settings.HOST) : settings.PORT;
  const serviceEnv = serviceEnvironment(settings, env, browserUrl(settings.HOST, routerPort));
  const mailbox = settings.SMTP_URL === undefined ? new DevMailbox() : undefined;
  if (mailbox) logger.info('mail is caught, not sent (no SMTP_URL): see /dev/mailbox on the router');

  const started: HttpService[] = [];
  let embedded: ReturnType<typeof embeddedPlatform> | undefined;
  // The embedded database opens and migrates in its own thread while this one loads the services' code.
  const openingDatabase = settings.DATABASE_URL ? undefined : WorkerDatabase.open(resolve(settings.DATA_DIR, 'pglite'), (line) => logger.info(line));
  openingDatabase?.catch(() => undefined);
  const close = async () => {
    for (const service of started.reverse()) await service.close();
    const database =
      embedded?.database ??
      (await openingDatabase?.then(
        ({ database: opened }) => opened,
        () => undefined,
      ));
    await database?.close();
  };

  try {
    const code = Promise.all([Promise.all(SUBGRAPHS.map(({ name }) => loadSubgraph(name))), import('@pyairtable/router/server')]);
    code.catch(() => undefined);
    if (openingDatabase) {
      logger.warn(
        { dataDir: resolve(settings.DATA_DIR) },
        'development mode: embedded PostgreSQL (PGlite) and in-process stores in place of Redis; set DATABASE_URL and REDIS_URL to use real servers',
      );
      const { database, origin, ms } = await openingDatabase;
      logger.info({ origin, ms }, 'embedded PostgreSQL open and migrated');
      embedded = embeddedPlatform(database, logger, mailbox);
    } else if (settings.DATABASE_URL) {
      logger.info('using the PostgreSQL and Redis servers of DATABASE_URL and REDIS_URL');
      await applyMigrations({ target: pgTarget(settings.DATABASE_URL), log: (line) => logger.info(line) });
    }
    const [subgraphs, { connectRouterInfrastructure, createRouter, inProcessRouterInfrastructure }] = await code;
    logger.info('starting the subgraphs and the router');

    const subgraphUrls = {} as Record<SubgraphName, string>;
    const routerEnv: NodeJS.ProcessEnv = { ...serviceEnv };
    for (const [index, { name, databaseSchema }] of SUBGRAPHS.entries()) {
      const subgraph = subgraphs[index];
      if (!subgraph) throw new Error(`subgraph ${name} did not load`);
      const config = subgraph.loadConfig(serviceEnv);
      const platform = embedded?.platformFor() ?? (mailbox ? serversPlatform(name, databaseSchema, serviceEnv, mailbox) : undefined);
      const { service } = await subgraph.create(config, platform);
      started.push(service);
      subgraphUrls[name] = (await listenOrNamePort(service, subgraphPort(settings, name), settings.HOST, subgraphPortSetting(name))).url;
      routerEnv[subgraphUrlSetting(name)] = `${subgraphUrls[name]}/graphql`;
    }

    const routerConfig = loadRouterConfig(routerEnv);
    const router = await createRouter(
      routerConfig,
      embedded
        ? inProcessRouterInfrastructure(routerConfig, embedded.revocationChannel, mailbox)
        : { ...connectRouterInfrastructure(routerConfig), mailbox },
    );
    started.push(router.service);
    const { url: routerUrl } = await listenOrNamePort(router.service, routerPort, settings.HOST, 'PORT');
    return { mode: embedded ? 'embedded' : 'servers', routerUrl, subgraphUrls, mailbox, close };
  } catch (error) {
    await close();
    throw error;
  }
}
