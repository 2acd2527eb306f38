/**
 * The GraphQL engine: the Apollo Gateway planning each operation over the subgraphs, inside an Apollo Server
 * that enforces the operation limits and reports metrics.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { createErrorFormatter, requireResolvedOperationPlugin } from '@pyairtable/common/graphql';
import { accessLogPlugin } from '@pyairtable/common/http';
import { knownOperationLabel, metricsPlugin, type Logger, type ServiceMetrics } from '@pyairtable/common/observability';
import { Counter, Histogram } from 'prom-client';
import { Agent } from 'undici';
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
  const deduplicatedFetches = new Counter({
    name: 'subgraph_fetches_deduplicated_total',
    help: 'Subgraph fetches the router did not send because an identical one for the same caller was in flight.',
    labelNames: ['subgraph'] as const,
    registers: [metrics.registry],
  });
  // Keep-alive connections to the subgraphs, closed when the server stops (after in-flight requests have drained).
  const dispatcher = new Agent();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphSource({
        name,
        url: subgraphUrls.get(name) ?? url ?? '',
        timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        dispatcher,
        deduplicate: config.DEDUPLICATE_SUBGRAPH_FETCHES,
        batch: config.BATCH_SUBGRAPH_FETCHES,
        fetchDuration,
        deduplicatedFetches,
        logger,
      }),
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
      { serverWillStart: () => Promise.resolve({ serverWillStop: () => dispatcher.close() }) },
    ],
  });
  await apollo.start();
  return apollo;
}
