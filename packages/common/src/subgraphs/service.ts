import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type RequestHandler } from 'express';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { createErrorFormatter, requireResolvedOperationPlugin } from '../graphql/error-formatting.js';
import { HttpService, createServiceApp, finishServiceApp, sendError, type Closer, type ReadinessCheck } from '../http/service.js';
import { InvalidRouterCredential, ROUTER_CREDENTIAL_HEADER, routerCredentialVerifier, type RequestOrigin } from '../identity/router-credential.js';
import type { Logger } from '../observability/logger.js';
import { metricsPlugin, type ServiceMetrics } from '../observability/metrics.js';
import { currentRequestId } from '../http/request-context.js';
import { accessLogPlugin } from '../http/access-log.js';

/** One schema module as buildSubgraphSchema takes it (@apollo/subgraph does not export the type by name). */
type SubgraphSchemaModule = Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], DocumentNode>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Locals in a global namespace; augmenting it is the only way to type response.locals.
  namespace Express {
    interface Locals {
      /** Who the router says the request comes from, from its verified credential; left by requireRouterCredential. */
      origin?: RequestOrigin;
    }
  }
}

/**
 * A subgraph's executable schema from its SDL file (the one supergraph.yaml composes) and resolvers: the
 * subgraph's generated `Resolvers` (resolvers-types.generated.ts), which type them against that same file.
 */
export function buildSubgraphSchemaFromFile(sdlFile: string | URL, resolvers: NonNullable<SubgraphSchemaModule['resolvers']>): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: gql(readFileSync(sdlFile, 'utf8')), resolvers }]);
}

/** What every subgraph resolver can rely on. */
export interface SubgraphContextBase {
  origin: RequestOrigin;
  requestId: string;
  logger: Logger;
}

export interface MountSubgraphOptions<TContext extends SubgraphContextBase> {
  app: Express;
  schema: GraphQLSchema;
  logger: Logger;
  metrics: ServiceMetrics;
  routerSharedSecret: string;
  exposeInternalDetails: boolean;
  createContext: (base: SubgraphContextBase) => TContext | Promise<TContext>;
}

function requireRouterCredential(secret: string, logger: Logger): RequestHandler {
  const verify = routerCredentialVerifier(secret);
  return async (request, response, next) => {
    try {
      response.locals.origin = await verify(request.header(ROUTER_CREDENTIAL_HEADER));
      next();
    } catch (error) {
      if (!(error instanceof InvalidRouterCredential)) {
        next(error);
        return;
      }
      logger.warn({ reason: error.message, ip: request.socket.remoteAddress }, 'refused a request without the router credential');
      sendError(response, 'UNAUTHENTICATED', 'Subgraphs answer only the router');
    }
  };
}

/** Serves a subgraph schema at /graphql, answering only requests that carry the router's credential. */
export async function mountSubgraphGraphQL<TContext extends SubgraphContextBase>(
  options: MountSubgraphOptions<TContext>,
): Promise<ApolloServer<TContext>> {
  const { app, schema, logger, metrics, routerSharedSecret, exposeInternalDetails, createContext } = options;
  const server = new ApolloServer<TContext>({
    schema,
    persistedQueries: false,
    // HttpService owns SIGTERM: it drains in-flight requests, then stops Apollo and closes pools.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    // Only the router reaches /graphql (its credential is required): it sends the fetches of one plan level to one
    // subgraph as a batch, which runs with one context, so the context's DataLoaders serve the whole batch.
    allowBatchedHttpRequests: true,
    formatError: createErrorFormatter({ logger, exposeInternalDetails }),
    plugins: [
      metricsPlugin<TContext>(metrics),
      accessLogPlugin<TContext>(),
      requireResolvedOperationPlugin<TContext>(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await server.start();
  app.use(
    '/graphql',
    requireRouterCredential(routerSharedSecret, logger),
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ res }) => {
        const { origin } = res.locals;
        if (!origin) throw new Error('A GraphQL request reached Apollo without a verified router credential');
        return createContext({ origin, requestId: currentRequestId() ?? 'unknown', logger });
      },
    }),
  );
  return server;
}

export interface SubgraphServiceOptions<TContext extends SubgraphContextBase> {
  settings: { ROUTER_SHARED_SECRET: string; NODE_ENV: string; SHUTDOWN_TIMEOUT_MS: number; METRICS_PORT?: number | undefined };
  schema: GraphQLSchema;
  logger: Logger;
  metrics: ServiceMetrics;
  /** What /ready checks, and what must answer before the service starts. */
  readinessChecks: ReadinessCheck[];
  createContext: (base: SubgraphContextBase) => TContext | Promise<TContext>;
  /** Closed after the HTTP server, in reverse order (so list connections first, their users after). */
  closers: Closer[];
  /**
   * Loops that run beside the requests (relays, consumers, housekeeping): started once the service exists, and
   * stopped, in reverse order, after the HTTP server and before the closers, so none outlives what it uses.
   */
  background?: BackgroundWork[];
  /** Routes of the subgraph's own besides /graphql (auth's JWKS). */
  extraRoutes?: (app: Express) => void;
}

/** Work a subgraph runs beside its requests. */
export interface BackgroundWork {
  start(): void;
  stop(): Promise<void>;
}

/** A subgraph as an HTTP service: the shared routes, /graphql behind the router credential, graceful shutdown. */
export async function createSubgraphService<TContext extends SubgraphContextBase>(options: SubgraphServiceOptions<TContext>): Promise<HttpService> {
  const { settings, schema, logger, metrics, readinessChecks, createContext, closers, background = [], extraRoutes } = options;
  const app = createServiceApp({ logger, metrics, readinessChecks, metricsPort: settings.METRICS_PORT });
  extraRoutes?.(app);
  const graphql = await mountSubgraphGraphQL<TContext>({
    app,
    schema,
    logger,
    metrics,
    routerSharedSecret: settings.ROUTER_SHARED_SECRET,
    exposeInternalDetails: settings.NODE_ENV === 'development',
    createContext,
  });
  finishServiceApp(app, logger);
  const metricsEndpoint = settings.METRICS_PORT === undefined ? undefined : { metrics, port: settings.METRICS_PORT };
  const stoppers = background.map((work) => () => work.stop());
  const service = new HttpService(
    app,
    logger,
    [...closers, ...stoppers, () => graphql.stop()],
    settings.SHUTDOWN_TIMEOUT_MS,
    readinessChecks,
    metricsEndpoint,
  );
  for (const work of background) work.start();
  return service;
}
