/**
 * The router's HTTP surface on express: security headers, CORS, the exploration pages, the signing keys,
 * /graphql and the REST shim under /api/v1, each behind the per-client rate limit and token verification; in
 * development also the mailbox and the pages at the mail links.
 */
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { REQUEST_ID_HEADER, createServiceApp, finishServiceApp, sendGraphQLError, type ReadinessCheck } from '@pyairtable/common/http';
import type { DevMailbox } from '@pyairtable/common/mail';
import type { Logger, ServiceMetrics } from '@pyairtable/common/observability';
import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AccessTokenVerifier } from '../access-tokens.js';
import { authenticate } from '../authentication.js';
import { developmentPagesEnabled, sandboxEnabled, trustProxySetting, type RouterConfig } from '../config.js';
import { devLinkPages } from '../dev/link-pages.js';
import { devMailboxRoutes } from '../dev/mailbox.js';
import { SANDBOX_CONTENT_SECURITY_POLICY, SANDBOX_ORIGINS, graphiqlPage } from '../exploration.js';
import { frontDoor, restDocs } from '../front-door.js';
import { batchLimit, directiveLimit, perClientRateLimit } from '../protection.js';
import type { RouterContext, RouterContextFactory } from '../request-context.js';
import { openApiDocument } from '../rest/openapi.js';
import { restShim, sendRestError } from '../rest/shim.js';
import { relaySigningKeys } from './signing-keys.js';

export interface RouterAppOptions {
  config: RouterConfig;
  logger: Logger;
  metrics: ServiceMetrics;
  apollo: ApolloServer<RouterContext>;
  verifier: AccessTokenVerifier;
  clientRateLimiter: RateLimiterAbstract;
  contextFor: RouterContextFactory;
  /** Where the auth subgraph publishes its signing keys. */
  jwksUrl: string;
  /** GET /health: the subgraphs' health, aggregated. */
  health: RequestHandler;
  readinessChecks: ReadinessCheck[];
  /** The mail this process's subgraphs caught (development without SMTP_URL), shown at /dev/mailbox. */
  mailbox?: DevMailbox;
}

export function createRouterApp(options: RouterAppOptions): Express {
  const { config, logger, metrics, health, readinessChecks } = options;
  const app = createServiceApp({
    logger,
    metrics,
    // helmet's strict content security policy covers everything but the two exploration pages.
    prelude: [
      helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false, strictTransportSecurity: false }),
      helmet.contentSecurityPolicy({ useDefaults: true }),
      overTlsOnly(helmet.strictTransportSecurity()),
    ],
    health,
    readinessChecks,
    metricsPort: config.METRICS_PORT,
  });
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  app.use(allowBrowserOrigins(config));
  if (sandboxEnabled(config)) serveExplorationPages(app);
  if (developmentPagesEnabled(config)) serveDevelopmentPages(app, config, options.mailbox);
  app.get(
    '/',
    frontDoor(developmentPagesEnabled(config), {
      productName: config.PRODUCT_NAME,
      sandbox: sandboxEnabled(config),
      mailbox: options.mailbox !== undefined,
      metricsPort: config.METRICS_PORT,
    }),
  );
  app.get('/.well-known/jwks.json', relaySigningKeys(options.jwksUrl, logger));
  mountGraphQL(app, options);
  mountRestShim(app, options);
  finishServiceApp(app, logger);
  return app;
}

/**
 * Strict-Transport-Security only on an answer that went out over TLS (req.secure: X-Forwarded-Proto from a proxy
 * TRUST_PROXY trusts): on plain HTTP the header is meaningless, and sent on a development host it pins the browser.
 */
function overTlsOnly(middleware: RequestHandler): RequestHandler {
  return (request, response, next) => {
    if (request.secure) middleware(request, response, next);
    else next();
  };
}

/**
 * CORS for the configured origins, and Apollo Sandbox's when the Sandbox is on. Only an allowed origin hears that
 * it may send credentials; with "*" no one does.
 */
function allowBrowserOrigins(config: RouterConfig): RequestHandler {
  const allowedOrigins = [...config.CORS_ORIGINS, ...(sandboxEnabled(config) ? SANDBOX_ORIGINS : [])];
  const anyOrigin = allowedOrigins.includes('*');
  return cors((request, decide) => {
    const origin = request.headers.origin;
    const allowed = anyOrigin || (origin !== undefined && allowedOrigins.includes(origin));
    decide(null, {
      origin: allowed,
      credentials: allowed && !anyOrigin,
      allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', REQUEST_ID_HEADER],
      exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'],
      maxAge: 600,
    });
  });
}

/** GraphiQL at /graphiql; the Sandbox landing page on GET /graphql (Apollo serves it) gets the policy it needs. */
function serveExplorationPages(app: Express): void {
  app.get('/graphiql', graphiqlPage());
  app.get('/graphql', (request, response, next) => {
    if (request.accepts(['application/json', 'text/html']) === 'text/html') {
      response.setHeader('content-security-policy', SANDBOX_CONTENT_SECURITY_POLICY);
    }
    next();
  });
}

/** The caught mail, and stand-ins for the frontend's pages its links open (PUBLIC_APP_URL is this router in npm start). */
function serveDevelopmentPages(app: Express, config: RouterConfig, mailbox: DevMailbox | undefined): void {
  if (mailbox) app.use(devMailboxRoutes(mailbox, { productName: config.PRODUCT_NAME }));
  app.use(devLinkPages({ productName: config.PRODUCT_NAME }));
}

function mountGraphQL(app: Express, { config, logger, apollo, verifier, clientRateLimiter, contextFor }: RouterAppOptions): void {
  app.use(
    '/graphql',
    perClientRateLimit(clientRateLimiter, logger, sendGraphQLError),
    authenticate(verifier, logger, sendGraphQLError),
    express.json({ limit: '1mb' }),
    batchLimit(config),
    directiveLimit(config.MAX_DIRECTIVES, config.MAX_QUERY_TOKENS),
    expressMiddleware(apollo, { context: ({ req, res }) => contextFor(req, res) }),
  );
}

/** /api/v1: each route runs its GraphQL operation through the same server /graphql uses. */
function mountRestShim(app: Express, { logger, apollo, verifier, clientRateLimiter, contextFor, health }: RouterAppOptions): void {
  const openApi = openApiDocument();
  app.get('/api/v1/openapi.json', (_request, response) => void response.json(openApi));
  app.use(restDocs());
  // The seed system's clients look for health beside the rest of the API too.
  app.get('/api/v1/health', health);
  app.use(
    '/api/v1',
    perClientRateLimit(clientRateLimiter, logger, sendRestError),
    authenticate(verifier, logger, sendRestError),
    restShim(async (request, response, operation) => {
      const result = await apollo.executeOperation(operation, { contextValue: await contextFor(request, response) });
      if (result.body.kind !== 'single') throw new Error('REST operations never stream');
      return result.body.singleResult;
    }, logger),
  );
}
