/** The router: reads the supergraph, starts the GraphQL engine and puts the HTTP surface in front of it. */
import { HttpService, type Closer } from '@pyairtable/common/http';
import { createLogger, createServiceMetrics } from '@pyairtable/common/observability';
import { AccessTokenVerifier } from './access-tokens.js';
import { SERVICE_NAME, type RouterConfig } from './config.js';
import { startGraphQLServer } from './gateway.js';
import { createRouterApp } from './http/app.js';
import { connectRouterInfrastructure } from './infrastructure.js';
import { routerContextFactory } from './request-context.js';
import { RevocationSync } from '@pyairtable/common/identity';
import { readSupergraph } from './supergraph.js';
import { aggregatedHealth, revocationFeedUrl, signingKeysUrl, subgraphChecks, subgraphUrls } from './subgraphs.js';

export { SERVICE_NAME } from './config.js';
export { KNOWN_OPERATIONS_DIRS } from './known-operations.js';
export { connectRouterInfrastructure, inProcessRouterInfrastructure, type RouterInfrastructure } from './infrastructure.js';

export async function createRouter(config: RouterConfig, infrastructure = connectRouterInfrastructure(config)) {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);

  const supergraph = readSupergraph(config.SUPERGRAPH_FILE);
  const urls = subgraphUrls(supergraph.subgraphs, config);
  const jwksUrl = signingKeysUrl(config, urls);
  const revocations = new RevocationSync({
    feedUrl: revocationFeedUrl(urls),
    routerSecret: config.ROUTER_SHARED_SECRET,
    channel: infrastructure.revocationChannel,
    pullIntervalMs: config.REVOCATION_SYNC_INTERVAL_MS,
    maxStalenessMs: config.REVOCATION_MAX_STALENESS_MS,
    logger,
  });
  const verifier = new AccessTokenVerifier(
    jwksUrl,
    { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS },
    revocations,
  );
  const apollo = await startGraphQLServer({ config, supergraphSdl: supergraph.sdl, subgraphUrls: urls, logger, metrics });

  const app = createRouterApp({
    config,
    logger,
    metrics,
    apollo,
    verifier,
    clientRateLimiter: infrastructure.clientRateLimiter,
    contextFor: routerContextFactory(config.ROUTER_SHARED_SECRET),
    jwksUrl,
    health: aggregatedHealth([...subgraphChecks(urls, '/health'), ...infrastructure.healthChecks]),
    // Ready with its supergraph (read above) and the signing keys, whatever the subgraphs and Redis: one failing
    // subgraph must not take every replica out of service, the router answers what the others serve.
    readinessChecks: [{ name: 'signing-keys', check: () => verifier.ensureSigningKeys() }],
    mailbox: infrastructure.mailbox,
  });
  revocations.start();

  const closers: Closer[] = [...infrastructure.closers, () => revocations.stop(), () => apollo.stop()];
  // Subgraphs and Redis may start after the router (the gateway plans from the committed supergraph).
  const metricsEndpoint = config.METRICS_PORT === undefined ? undefined : { metrics, port: config.METRICS_PORT };
  return { service: new HttpService(app, logger, closers, config.SHUTDOWN_TIMEOUT_MS, [], metricsEndpoint), logger };
}
