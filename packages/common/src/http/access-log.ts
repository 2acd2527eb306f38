/** The access log: one JSON line per request (pino-http), with what an operator looks a request up by. */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../observability/logger.js';
import { requestedOperationName } from '../observability/metrics.js';
import { REQUEST_ID_HEADER, noteOperationName, requestScopeOf } from './request-context.js';

/** Probes and scrapes, every few seconds from the orchestrator: not worth a line each. */
const UNLOGGED_PATHS = new Set(['/live', '/ready', '/metrics']);

const pathOf = (url: string): string => url.split('?', 1)[0] ?? url;

/** The line of one request: no headers, body or query string, which may carry tokens and personal data. */
function accessRecord(request: Request, response: Response, durationMs: number): Record<string, unknown> {
  const operations = requestScopeOf(request)?.operationNames ?? [];
  return {
    requestId: request.headers[REQUEST_ID_HEADER],
    method: request.method,
    route: pathOf(request.originalUrl),
    ...(operations.length > 0 ? { operation: operations.join(',') } : {}),
    status: response.statusCode,
    durationMs,
    clientIp: request.ip,
  };
}

/**
 * Logs each request once it is answered (or its connection closed), at info, or warn for a 5xx (whose cause the
 * handler logged already). Mounted after the request id is settled, so the line carries the one the client sent.
 */
export function accessLog(logger: Logger): RequestHandler {
  return pinoHttp<Request, Response>({
    logger,
    genReqId: (request) => String(request.headers[REQUEST_ID_HEADER]),
    // Logs through the service's logger itself: no child bound to the whole request object.
    quietResLogger: true,
    // pino-http still makes that child for req.log, which nothing here uses: binding the request as nothing spares
    // serializing and redacting it on every request.
    wrapSerializers: false,
    serializers: { req: () => undefined },
    autoLogging: { ignore: (request) => UNLOGGED_PATHS.has(pathOf(request.url)) },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (request, response, { responseTime }: { responseTime: number }) => accessRecord(request, response, responseTime),
    customErrorObject: (request, response, _error, { responseTime }: { responseTime: number }) => accessRecord(request, response, responseTime),
  });
}

/** Tells the access log which operation a GraphQL request ran, or meant to (requestedOperationName). */
export function accessLogPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: (requestContext) => {
          noteOperationName(requestedOperationName(requestContext));
          return Promise.resolve();
        },
      }),
  };
}
