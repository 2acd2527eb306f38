/** The router: reads the supergraph, starts the GraphQL engine and puts the HTTP surface in front of it. */
import { HttpService, type Closer } from '@pyairtable/common/http';
import { createLogger, createServiceMetrics } from '@pyairtable/common/observability';
import { AccessTokenVerifier } from './access-tokens.js';
import { SERVICE_NAME, type RouterConfig } from './config.js';
import { startGraphQLServer } from './gateway.js';
import { createRouterApp } from './http/app.js';
import { connectRouterInfrastructure } from './infrastructure.js';
import { routerContextFactory } from './request-context.js';
import { readSupergraph } from './supergraph.js';
import { aggregatedHealth, signingKeysUrl, subgraphChecks, subgraphUrls } from './subgraphs.js';

export { SERVICE_NAME } from './config.js';
export { KNOWN_OPERATIONS_DIRS } from './known-operations.js';
export { connectRouterInfrastructure, inProcessRouterInfrastructure, type RouterInfrastructure } from './infrastructure.js';

export async function createRouter(config: RouterConfig, infrastructure = connectRouterInfrastructure(config)) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);

  const supergraph = readSupergraph(config.SUPERGRAPH_FILE);
  const urls = subgraphUrls(supergraph.subgraphs, config);
  const jwksUrl = signingKeysUrl(config, urls);
  const verifier = new AccessTokenVerifier(
    jwksUrl,
    { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS },
    infrastructure.revocations,
  );
  const apollo = await startGraphQLServer({ config, supergraphSdl: supergraph.sdl, subgraphUrls: urls, logger, metrics });

  const redisCheck = { name: 'redis', check: () => infrastructure.revocations.ping() };
  const app = createRouterApp({
    config,
    logger,
    metrics,
    apollo,
    verifier,
    clientRateLimiter: infrastructure.clientRateLimiter,
    contextFor: routerContextFactory(config.ROUTER_SHARED_SECRET),
    jwksUrl,
    health: aggregatedHealth(urls),
    readinessChecks: [redisCheck, ...subgraphChecks(urls, '/ready')],
    mailbox: infrastructure.mailbox,
  });

  const closers: Closer[] = [...infrastructure.closers, () => apollo.stop()];
  // Subgraphs may start after the router (the gateway plans from the committed supergraph); Redis may not.
  const metricsEndpoint = config.METRICS_PORT === undefined ? undefined : { metrics, port: config.METRICS_PORT };
  return { service: new HttpService(app, logger, closers, config.SHUTDOWN_TIMEOUT_MS, [redisCheck], metricsEndpoint), logger };
}
