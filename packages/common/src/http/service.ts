import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { graphQLError, httpStatusFor, type ErrorCode, type ErrorDetails } from '../errors/registry.js';
import type { Logger } from '../observability/logger.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { accessLog } from './access-log.js';
import { REQUEST_ID_HEADER, requestIdFrom, runInRequestScope } from './request-context.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
  /**
   * Checked by /health (and before the service starts) but not by /ready: the service still serves requests
   * without it (Redis: throttles count in process, requests that need it fail fast).
   */
  healthOnly?: boolean;
}

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  readinessChecks: ReadinessCheck[];
  /** The router replaces the plain health answer with one that aggregates the subgraphs. */
  health?: RequestHandler;
  /** Runs before every route, the built-in ones included (e.g. security headers). */
  prelude?: RequestHandler[];
  /** Set (METRICS_PORT): /metrics is not served here but by the HttpService on this port of its own. */
  metricsPort?: number;
}

/** /metrics on a port of its own (METRICS_PORT), so it can stay off the port the public reaches. */
export interface MetricsEndpoint {
  metrics: ServiceMetrics;
  port: number;
}

const READINESS_TIMEOUT_MS = 2_000;

/** How an endpoint answers an error it raises itself (GraphQL-shaped here; the REST shim has its own). */
export type ErrorResponder = (response: express.Response, code: ErrorCode, message: string, details?: ErrorDetails) => void;

/** Answers with a GraphQL-shaped error body (and Retry-After when rate limited). */
export function sendError(
  response: express.Response,
  code: ErrorCode,
  message: string,
  status: number = httpStatusFor(code),
  details: ErrorDetails = {},
): void {
  const error = graphQLError(code, message, details);
  if (details.retryAfter !== undefined) response.setHeader('retry-after', String(details.retryAfter));
  response.status(status).json({ errors: [{ message: error.message, extensions: error.extensions }] });
}

export const sendGraphQLError: ErrorResponder = (response, code, message, details) =>
  sendError(response, code, message, httpStatusFor(code), details);

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runReadinessChecks(checks: ReadinessCheck[]): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), READINESS_TIMEOUT_MS);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, `down: ${error instanceof Error ? error.message : String(error)}`] as const;
      }
    }),
  );
  return { ready: results.every(([, status]) => status === 'ok'), checks: Object.fromEntries(results) };
}

/**
 * An express app with what every process serves: request ids, /live, /health, /ready and /metrics.
 * Callers add their routes, then call `finishServiceApp`.
 */
export function createServiceApp({ logger, metrics, readinessChecks, health, prelude = [], metricsPort }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are GraphQL and JSON no client revalidates; a SHA-1 of every body was a per-request cost for nothing.
  app.disable('etag');
  app.set('trust proxy', false);

  app.use((request, response, next) => {
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    request.headers[REQUEST_ID_HEADER] = requestId;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    runInRequestScope(request, { requestId, operationNames: [] }, next);
  });
  app.use(accessLog(logger));
  for (const middleware of prelude) app.use(middleware);

  app.get('/live', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/health', health ?? dependencyHealth(readinessChecks));
  app.get('/ready', async (_request, response) => {
    const result = await runReadinessChecks(readinessChecks.filter((check) => !check.healthOnly));
    if (!result.ready) logger.warn({ checks: result.checks }, 'not ready');
    response.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not_ready', checks: result.checks });
  });
  if (metricsPort === undefined) serveMetrics(app, metrics);
  return app;
}

/** GET /health of a service: 200 "ok", or 503 "degraded" naming the dependencies that do not answer. */
function dependencyHealth(checks: ReadinessCheck[]): RequestHandler {
  return async (_request, response) => {
    const result = await runReadinessChecks(checks);
    if (result.ready) {
      response.json({ status: 'ok' });
      return;
    }
    const down = Object.entries(result.checks).flatMap(([name, status]) => (status === 'ok' ? [] : [name]));
    response.status(503).json({ status: 'degraded', down });
  };
}

function serveMetrics(app: Express, metrics: ServiceMetrics): void {
  app.get('/metrics', async (_request, response) => {
    response.setHeader('content-type', metrics.registry.contentType);
    response.send(await metrics.registry.metrics());
  });
}

/** The app of a metrics port: /metrics and nothing else. */
function metricsApp(metrics: ServiceMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  serveMetrics(app, metrics);
  app.use((_request, response) => void response.status(404).end());
  return app;
}

/** Unknown routes and body-parser failures answer with a code, never an HTML page or a stack trace. */
export function finishServiceApp(app: Express, logger: Logger): void {
  app.use((_request, response) => sendError(response, 'NOT_FOUND', 'No such route', 404));
  const handleError: ErrorRequestHandler = (error: unknown, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status >= 400 && status < 500) {
      const isJsonSyntax = error instanceof SyntaxError;
      const code: ErrorCode = isJsonSyntax ? 'GRAPHQL_PARSE_FAILED' : 'BAD_USER_INPUT';
      const message = isJsonSyntax ? 'The request body is not valid JSON' : 'The request could not be read';
      sendError(response, code, status === 413 ? 'The request body is too large' : message, status);
      return;
    }
    logger.error({ err: error }, 'unhandled error in HTTP handler');
    sendError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error', 500);
  };
  app.use(handleError);
}

export type Closer = () => Promise<unknown>;

/**
 * An HTTP server that shuts down gracefully: stop accepting, let in-flight requests finish (up to a
 * deadline), then close pools and connections in the reverse order they were opened.
 */
export class HttpService {
  private server: Server | undefined;
  private metricsServer: Server | undefined;
  private metricsAddress: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly app: Express,
    readonly logger: Logger,
    private readonly closers: Closer[],
    private readonly shutdownTimeoutMs: number,
    /** What must answer before the service may start (its database, Redis): checked by runServiceMain. */
    readonly dependencies: ReadinessCheck[] = [],
    /** Given when METRICS_PORT is set (and the app was made without /metrics). */
    private readonly metricsEndpoint?: MetricsEndpoint,
  ) {}

  async listen(port: number, host = '0.0.0.0'): Promise<{ port: number; url: string; metricsUrl?: string }> {
    const server = this.app.listen(port, host);
    this.server = server;
    await once(server, 'listening');
    server.keepAliveTimeout = 65_000;
    const url = urlOf(server, host);
    if (this.metricsEndpoint) {
      this.metricsServer = metricsApp(this.metricsEndpoint.metrics).listen(this.metricsEndpoint.port, host);
      await once(this.metricsServer, 'listening');
      this.metricsAddress = urlOf(this.metricsServer, host);
      this.logger.info({ url: this.metricsAddress }, 'metrics served on a port of their own');
    }
    return { port: (server.address() as AddressInfo).port, url, ...(this.metricsAddress ? { metricsUrl: this.metricsAddress } : {}) };
  }

  get httpServer(): Server | undefined {
    return this.server;
  }

  /** Where /metrics is served when METRICS_PORT is set, once listening. */
  get metricsUrl(): string | undefined {
    return this.metricsAddress;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** SIGTERM and SIGINT close the service, then the process exits. */
  closeOnSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.logger.info({ signal }, 'shutting down');
      this.close().then(
        () => process.exit(0),
        (error: unknown) => {
          this.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  private async shutdown(): Promise<void> {
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections turn idle as their last response goes out: close them as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), this.shutdownTimeoutMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(deadline);
    }
    const metricsServer = this.metricsServer;
    if (metricsServer) {
      // Scrapes are short: nothing to drain, only keep-alive connections to drop.
      const closed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      metricsServer.closeAllConnections();
      await closed;
    }
    for (const close of [...this.closers].reverse()) {
      try {
        await close();
      } catch (error) {
        this.logger.warn({ err: error }, 'error while closing a resource');
      }
    }
  }
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${displayHost}:${port}`;
}

/**
 * How long a starting service waits for its dependencies: started together (compose, a rolling deploy, a busy
 * machine), Redis or the database may answer a few seconds after the service is up.
 */
const STARTUP_DEPENDENCY_WAIT_MS = 15_000;
const STARTUP_RETRY_INTERVAL_MS = 500;

async function awaitDependencies(service: HttpService, name: string): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const deadline = Date.now() + STARTUP_DEPENDENCY_WAIT_MS;
  for (;;) {
    const result = await runReadinessChecks(service.dependencies);
    if (result.ready || Date.now() >= deadline) return result;
    service.logger.warn({ checks: result.checks }, `${name} waits for its dependencies`);
    await new Promise((resolve) => setTimeout(resolve, STARTUP_RETRY_INTERVAL_MS));
  }
}

/**
 * The entry point of a service run on its own: read settings (every problem named, exit 1), refuse to
 * start while a dependency does not answer (after waiting STARTUP_DEPENDENCY_WAIT_MS for it), listen, and shut down gracefully on SIGTERM.
 */
export async function runServiceMain<Config extends { PORT: number; HOST: string }>(
  name: string,
  loadSettings: () => Config,
  create: (config: Config) => Promise<{ service: HttpService }>,
): Promise<void> {
  let config: Config;
  try {
    config = loadSettings();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  const { service } = await create(config);
  const { ready, checks } = await awaitDependencies(service, name);
  if (!ready) {
    service.logger.fatal({ checks }, `${name} cannot start: a dependency does not answer`);
    await service.close();
    process.exit(1);
  }
  const { url } = await service.listen(config.PORT, config.HOST);
  service.closeOnSignals();
  service.logger.info({ url }, `${name} listening`);
}
