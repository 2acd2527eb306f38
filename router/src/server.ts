import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { createRedis } from '@pyairtable/common/data';
import { createErrorFormatter, requireResolvedOperationPlugin } from '@pyairtable/common/graphql';
import { HttpService, REQUEST_ID_HEADER, createServiceApp, currentRequestId, finishServiceApp, sendGraphQLError, type Closer } from '@pyairtable/common/http';
import { RedisRevocationStore, signRouterCredential, type RevocationStore } from '@pyairtable/common/identity';
import { createLogger, createServiceMetrics, metricsPlugin } from '@pyairtable/common/observability';
import cors from 'cors';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Histogram } from 'prom-client';
import { AccessTokenVerifier } from './access-tokens.js';
import { authenticate, identityOf } from './authentication.js';
import { trustProxySetting, type RouterConfig } from './config.js';
import type { RouterContext } from './context.js';
import { SANDBOX_CONTENT_SECURITY_POLICY, SANDBOX_ORIGINS, graphiqlPage, landingPage } from './exploration.js';
import { batchSizeLimit, operationLimits, perClientRateLimit } from './protection.js';
import { openApiDocument } from './rest/openapi.js';
import { restShim, sendRestError } from './rest/shim.js';
import { SubgraphSource } from './subgraph-source.js';
import { aggregatedHealth, serviceBase, subgraphChecks, subgraphUrls } from './subgraphs.js';

export const SERVICE_NAME = 'router';

export interface RouterInfrastructure {
  revocations: RevocationStore;
  /** Requests per client IP per minute, counted across replicas. */
  clientRateLimiter: RateLimiterAbstract;
  closers: Closer[];
}

export function connectRouterInfrastructure(config: RouterConfig): RouterInfrastructure {
  const redis = createRedis(config.REDIS_URL, `pyairtable-${SERVICE_NAME}`);
  return {
    revocations: new RedisRevocationStore(redis, config.REDIS_KEY_PREFIX),
    clientRateLimiter: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_KEY_PREFIX}rate-limit:router-client`,
      points: config.RATE_LIMIT_PER_MINUTE,
      duration: 60,
    }),
    closers: [() => redis.quit()],
  };
}

export function inProcessRouterInfrastructure(config: RouterConfig, revocations: RevocationStore): RouterInfrastructure {
  return {
    revocations,
    clientRateLimiter: new RateLimiterMemory({ keyPrefix: 'router-client', points: config.RATE_LIMIT_PER_MINUTE, duration: 60 }),
    closers: [],
  };
}

export async function createRouter(config: RouterConfig, infrastructure = connectRouterInfrastructure(config)) {
  if (config.APOLLO_TELEMETRY_DISABLED) process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(SERVICE_NAME);
  const fetchDuration = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Duration of the router’s fetches to each subgraph.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });

  const supergraphSdl = readFileSync(config.SUPERGRAPH_FILE, 'utf8');
  const urls = subgraphUrls(supergraphSdl, config);
  const authUrl = urls.get('auth');
  const jwksUrl = config.AUTH_JWKS_URL ?? (authUrl ? `${serviceBase(authUrl)}/.well-known/jwks.json` : undefined);
  if (!jwksUrl) throw new Error('The supergraph has no auth subgraph; set AUTH_JWKS_URL');
  const verifier = new AccessTokenVerifier(jwksUrl, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }, infrastructure.revocations);

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphSource(name, urls.get(name) ?? url ?? '', config.SUBGRAPH_TIMEOUT_MS, fetchDuration, logger),
  });
  const development = config.NODE_ENV === 'development';
  const sandboxEnabled = config.ENABLE_SANDBOX ?? development;
  const limits = operationLimits(config);
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    persistedQueries: false,
    // HttpService owns SIGTERM: it drains in-flight requests, then stops Apollo and closes pools.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    introspection: config.ENABLE_INTROSPECTION ?? development,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: createErrorFormatter({ logger, exposeInternalDetails: development }),
    plugins: [
      ...(limits.plugins as Array<ApolloServerPlugin<RouterContext>>),
      metricsPlugin<RouterContext>(metrics),
      requireResolvedOperationPlugin<RouterContext>(),
      landingPage(sandboxEnabled),
    ],
  });
  await apollo.start();

  const redisCheck = { name: 'redis', check: () => infrastructure.revocations.ping() };
  const app = createServiceApp({
    logger,
    metrics,
    // helmet's strict content security policy covers everything but the two exploration pages.
    prelude: [helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }), helmet.contentSecurityPolicy({ useDefaults: true })],
    health: aggregatedHealth(urls),
    readinessChecks: [redisCheck, ...subgraphChecks(urls, '/ready')],
  });
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  const allowedOrigins = [...config.CORS_ORIGINS, ...(sandboxEnabled ? SANDBOX_ORIGINS : [])];
  app.use(
    cors({
      origin: allowedOrigins.includes('*') ? true : allowedOrigins,
      credentials: !allowedOrigins.includes('*'),
      allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', REQUEST_ID_HEADER],
      exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'],
      maxAge: 600,
    }),
  );
  if (sandboxEnabled) {
    app.get('/graphiql', graphiqlPage());
    app.get('/graphql', (request, response, next) => {
      if (request.accepts(['application/json', 'text/html']) === 'text/html') {
        response.setHeader('content-security-policy', SANDBOX_CONTENT_SECURITY_POLICY);
      }
      next();
    });
  }
  app.get('/.well-known/jwks.json', async (_request, response) => {
    try {
      const upstream = await fetch(jwksUrl, { signal: AbortSignal.timeout(3_000) });
      if (!upstream.ok) throw new Error(`HTTP ${upstream.status}`);
      response.setHeader('cache-control', 'public, max-age=300').json(await upstream.json());
    } catch (error) {
      logger.warn({ err: error }, 'JWKS unavailable from the auth subgraph');
      sendGraphQLError(response, 'SERVICE_UNAVAILABLE', 'Signing keys are unavailable right now');
    }
  });

  const contextFor = async (request: Request, response: Response): Promise<RouterContext> => {
    const identity = identityOf(response);
    const routerCredential = await signRouterCredential(config.ROUTER_SHARED_SECRET, {
      identity,
      clientIp: request.ip ?? null,
      userAgent: request.headers['user-agent'] ?? null,
    });
    return { identity, routerCredential, requestId: currentRequestId() ?? String(request.headers[REQUEST_ID_HEADER]) };
  };

  app.use(
    '/graphql',
    perClientRateLimit(infrastructure.clientRateLimiter, logger, sendGraphQLError),
    authenticate(verifier, logger, sendGraphQLError),
    express.json({ limit: '1mb' }),
    batchSizeLimit(config.MAX_BATCH_SIZE),
    expressMiddleware(apollo, { context: ({ req, res }) => contextFor(req, res) }),
  );

  const openApi = openApiDocument();
  app.get('/api/v1/openapi.json', (_request, response) => void response.json(openApi));
  app.use(
    '/api/v1',
    perClientRateLimit(infrastructure.clientRateLimiter, logger, sendRestError),
    authenticate(verifier, logger, sendRestError),
    restShim(async (request, response, operation) => {
      const result = await apollo.executeOperation(operation, { contextValue: await contextFor(request, response) });
      if (result.body.kind !== 'single') throw new Error('REST operations never stream');
      return result.body.singleResult;
    }, logger),
  );
  finishServiceApp(app, logger);

  const closers: Closer[] = [...infrastructure.closers, () => apollo.stop()];
  // Subgraphs may start after the router (the gateway plans from the committed supergraph); Redis may not.
  return { service: new HttpService(app, logger, closers, config.SHUTDOWN_TIMEOUT_MS, [redisCheck]), logger };
}
