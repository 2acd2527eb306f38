/**
 * The GraphQL engine: the Apollo Gateway planning each operation over the subgraphs, inside an Apollo Server
 * that enforces the operation limits and reports metrics.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { createErrorFormatter, requireResolvedOperationPlugin } from '@pyairtable/common/graphql';
import { accessLogPlugin } from '@pyairtable/common/http';
import { knownOperationLabel, metricsPlugin, type Logger, type ServiceMetrics } from '@pyairtable/common/observability';
import { Histogram } from 'prom-client';
import { gatewayWouldReportToApollo, sandboxEnabled, type RouterConfig } from './config.js';
import { landingPage } from './exploration.js';
import { knownOperationNames } from './known-operations.js';
import { operationLimits } from './protection.js';
import type { RouterContext } from './request-context.js';
import { SubgraphSource } from './subgraph-source.js';

export interface GraphQLServerOptions {
  config: RouterConfig;
  supergraphSdl: string;
  /** Each subgraph's URL, overrides applied. */
  subgraphUrls: Map<string, string>;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** Started, so it is ready for express and for the REST shim's executeOperation. */
export async function startGraphQLServer({
  config,
  supergraphSdl,
  subgraphUrls,
  logger,
  metrics,
}: GraphQLServerOptions): Promise<ApolloServer<RouterContext>> {
  if (config.APOLLO_TELEMETRY_DISABLED && gatewayWouldReportToApollo()) {
    throw new Error(
      'APOLLO_TELEMETRY_DISABLED is on, but @apollo/gateway reads it from the process environment, where it is not: ' +
        'call applyApolloTelemetrySetting() (router/src/config.ts) where the process starts, before createRouter',
    );
  }
  const fetchDuration = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Duration of the router’s fetches to each subgraph.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphSource(name, subgraphUrls.get(name) ?? url ?? '', config.SUBGRAPH_TIMEOUT_MS, fetchDuration, logger),
  });
  const development = config.NODE_ENV === 'development';
  const limits = operationLimits(config);
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    persistedQueries: false,
    // HttpService owns SIGTERM: it drains in-flight requests, then stops Apollo and closes pools.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: config.ALLOW_BATCHED_REQUESTS,
    introspection: config.ENABLE_INTROSPECTION ?? development,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: createErrorFormatter({ logger, exposeInternalDetails: development }),
    plugins: [
      ...(limits.plugins as Array<ApolloServerPlugin<RouterContext>>),
      metricsPlugin<RouterContext>(metrics, knownOperationLabel(knownOperationNames())),
      accessLogPlugin<RouterContext>(),
      requireResolvedOperationPlugin<RouterContext>(),
      landingPage(sandboxEnabled(config)),
    ],
  });
  await apollo.start();
  return apollo;
}
