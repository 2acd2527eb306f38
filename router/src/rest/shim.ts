import { codeOf, httpStatusFor, type ErrorCode, type ErrorDetails } from '@pyairtable/common/errors';
import type { ErrorResponder } from '@pyairtable/common/http';
import type { Logger } from '@pyairtable/common/observability';
import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { snakeCaseKeys, toSnakeCase } from './case.js';
import { loadOperations } from './operations.js';
import { REST_ROUTES, type RestRoute } from './routes.js';

/** Runs one GraphQL operation through the gateway, exactly as /graphql would for this request. */
export type OperationExecutor = (
  request: express.Request,
  response: Response,
  operation: { query: string; operationName: string; variables: Record<string, unknown> },
) => Promise<{ data?: Record<string, unknown> | null; errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }>;

/** API.md's REST error body: {"error": {"code", "message"}} (plus field / retry_after where they apply). */
export const sendRestError: ErrorResponder = (response, code, message, details: ErrorDetails = {}) => {
  if (details.retryAfter !== undefined) response.setHeader('retry-after', String(details.retryAfter));
  const error: Record<string, unknown> = { code, message };
  if (details.field) error['field'] = details.field;
  if (details.retryAfter !== undefined) error['retry_after'] = details.retryAfter;
  response.status(httpStatusFor(code)).json({ error });
};

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  // An issue with an empty path is about the body as a whole.
  const field = issue?.path.length ? issue.path.join('.') : '(body)';
  return { field, message: `${field}: ${issue?.message ?? 'invalid'}` };
}

/** No content and no content type: what clients send for "no body" (fetch sends Content-Length: 0). */
function withoutBody(request: express.Request): boolean {
  const { headers } = request;
  return headers['content-type'] === undefined && headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0';
}

/** Refuses anything but a JSON body; `optional`: a request without any body passes too. */
const requireJsonBody =
  (optional: boolean): RequestHandler =>
  (request, response, next) => {
    if (optional && withoutBody(request)) {
      next();
      return;
    }
    if (!request.is('application/json')) {
      sendRestError(response, 'BAD_USER_INPUT', 'Send a JSON body with Content-Type: application/json', { field: '(body)' });
      return;
    }
    next();
  };

const readJsonBody = express.json({ limit: '100kb', strict: true });

const jsonBodyErrors: ErrorRequestHandler = (error: unknown, _request, response, next) => {
  if (error instanceof SyntaxError || (typeof error === 'object' && error !== null && 'status' in error && error.status === 400)) {
    sendRestError(response, 'BAD_USER_INPUT', 'The request body is not valid JSON', { field: '(body)' });
    return;
  }
  if (typeof error === 'object' && error !== null && 'status' in error && error.status === 413) {
    sendRestError(response, 'BAD_USER_INPUT', 'The request body is too large', { field: '(body)' });
    return;
  }
  next(error);
};

function parseOrRefuse(schema: z.ZodObject | undefined, value: unknown, response: Response): Record<string, unknown> | undefined {
  if (!schema) return {};
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const { field, message } = firstIssue(result.error);
  sendRestError(response, 'BAD_USER_INPUT', message, { field });
  return undefined;
}

function operationText(operations: ReadonlyMap<string, string>, route: RestRoute, name: string): string {
  const query = operations.get(name);
  if (!query) throw new Error(`REST route ${route.method.toUpperCase()} ${route.path}: no operation ${name} in operations/rest`);
  return query;
}

function handlerFor(route: RestRoute, operations: ReadonlyMap<string, string>, execute: OperationExecutor, logger: Logger): RequestHandler {
  return async (request, response) => {
    const body = parseOrRefuse(route.body, request.body, response);
    if (!body) return;
    const queryParams = parseOrRefuse(route.query, request.query, response);
    if (!queryParams) return;
    const params = request.params as Record<string, string>;
    const callerId = response.locals.identity?.userId;
    const chosen = route.forCaller && callerId !== undefined && params['id'] === callerId ? route.forCaller : route;
    const result = await execute(request, response, {
      query: operationText(operations, route, chosen.operation),
      operationName: chosen.operation,
      variables: chosen.variables({ body, query: queryParams, params }),
    });
    const [error] = result.errors ?? [];
    if (error) {
      const code: ErrorCode = codeOf(error) ?? 'INTERNAL_SERVER_ERROR';
      const extensions = error.extensions ?? {};
      if (code === 'INTERNAL_SERVER_ERROR') logger.error({ error }, 'REST route failed');
      sendRestError(response, code, error.message, {
        // The field as the REST body names it (newPassword is new_password there).
        field: typeof extensions['field'] === 'string' ? toSnakeCase(extensions['field']) : undefined,
        retryAfter: typeof extensions['retryAfter'] === 'number' ? extensions['retryAfter'] : undefined,
      });
      return;
    }
    const value = result.data?.[chosen.field];
    if (route.nullIsNotFound && (value === null || value === undefined)) {
      sendRestError(response, 'NOT_FOUND', 'Not found');
      return;
    }
    if (route.status === 204) {
      response.status(204).end();
      return;
    }
    if (route.status === 202) {
      response.status(202).json({});
      return;
    }
    response.status(route.status).json(snakeCaseKeys(value));
  };
}

/** The seed system's REST API under /api/v1, each route one GraphQL operation through the same gateway. */
export function restShim(execute: OperationExecutor, logger: Logger): Router {
  const operations = loadOperations();
  const router = Router();
  for (const route of REST_ROUTES) {
    // Every operation a route may run must exist before the first request.
    operationText(operations, route, route.operation);
    if (route.forCaller) operationText(operations, route, route.forCaller.operation);
    const bodyHandling = route.body ? [requireJsonBody(route.bodyOptional ?? false), readJsonBody, jsonBodyErrors] : [];
    router[route.method](route.path, ...bodyHandling, handlerFor(route, operations, execute, logger));
  }
  router.use((_request, response) => sendRestError(response, 'NOT_FOUND', 'No such route'));
  return router;
}
