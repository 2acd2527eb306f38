import { ERROR_CODES, describeErrorCode, type ErrorCode } from '@pyairtable/common/errors';
import { z } from 'zod';
import { REST_ROUTES, type RestRoute } from './routes.js';

const nullableString = { type: ['string', 'null'] };
const dateTime = { type: 'string', format: 'date-time' };

const userSummary = {
  type: 'object',
  required: ['id', 'email', 'display_name', 'role'],
  properties: { id: { type: 'string' }, email: { type: 'string' }, display_name: { type: 'string' }, role: { enum: ['USER', 'ADMIN'] } },
};

const pageInfo = {
  type: 'object',
  required: ['end_cursor', 'has_next_page'],
  properties: { end_cursor: nullableString, has_next_page: { type: 'boolean' } },
};

const listOf = (item: string) => ({
  type: 'object',
  required: ['nodes', 'page_info', 'total_count'],
  properties: { nodes: { type: 'array', items: { $ref: `#/components/schemas/${item}` } }, page_info: pageInfo, total_count: { type: 'integer' } },
});

const COMPONENT_SCHEMAS = {
  TokenResponse: {
    type: 'object',
    required: ['access_token', 'refresh_token', 'token_type', 'expires_in', 'user'],
    properties: {
      access_token: { type: 'string' },
      refresh_token: { type: 'string' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', description: 'Access-token lifetime in seconds' },
      user: userSummary,
    },
  },
  User: {
    type: 'object',
    required: ['id', 'email', 'display_name', 'role', 'email_verified', 'created_at', 'updated_at'],
    properties: {
      ...userSummary.properties,
      email_verified: { type: 'boolean', description: 'Whether the email has been confirmed' },
      avatar_url: nullableString,
      bio: nullableString,
      timezone: nullableString,
      created_at: dateTime,
      updated_at: dateTime,
    },
  },
  UserList: listOf('User'),
  Workspace: {
    type: 'object',
    required: ['id', 'name', 'my_role', 'member_count', 'created_at', 'updated_at', 'owner'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      description: nullableString,
      my_role: { enum: ['OWNER', 'ADMIN', 'EDITOR', 'COMMENTER', 'VIEWER'] },
      member_count: { type: 'integer' },
      created_at: dateTime,
      updated_at: dateTime,
      owner: { type: 'object', properties: { id: { type: 'string' }, email: { type: 'string' }, display_name: { type: 'string' } } },
    },
  },
  WorkspaceList: listOf('Workspace'),
  Invitation: {
    type: 'object',
    required: ['id', 'email', 'role', 'status', 'workspace_name', 'invited_by_name', 'created_at', 'expires_at'],
    properties: {
      id: { type: 'string' },
      email: { type: 'string' },
      role: { enum: ['ADMIN', 'EDITOR', 'COMMENTER', 'VIEWER'] },
      status: { enum: ['PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED', 'EXPIRED'] },
      workspace_name: { type: 'string' },
      invited_by_name: { type: 'string' },
      created_at: dateTime,
      expires_at: dateTime,
    },
  },
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { enum: ERROR_CODES },
          message: { type: 'string' },
          field: { type: 'string', description: 'The offending field, for BAD_USER_INPUT' },
          retry_after: { type: 'integer', description: 'Seconds to wait, for RATE_LIMITED' },
        },
      },
    },
  },
};

/** "/users/:id" → "/users/{id}" */
export function openApiPath(expressPath: string): string {
  return `/api/v1${expressPath.replace(/:(\w+)/g, '{$1}')}`;
}

/** An error answer, described from the error-code registry. */
const errorResponse = (code: ErrorCode, detail = describeErrorCode(code)) => ({
  description: `${code}: ${detail}`,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function operationFor(route: RestRoute) {
  const parameters = [
    ...[...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(route.query ? (z.toJSONSchema(route.query, { io: 'input' }).properties ?? {}) : {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema,
    })),
  ];
  const success = route.responseSchema
    ? { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.responseSchema}` } } } }
    : route.status === 202
      ? {
          description: 'Accepted; the body is always an empty object',
          content: { 'application/json': { schema: { type: 'object', additionalProperties: false, maxProperties: 0 } } },
        }
      : { description: 'Done; no content' };
  return {
    operationId: route.operation,
    summary: route.summary,
    ...(route.signedIn ? { security: [{ bearer: [] }] } : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.bodyOptional !== true,
            content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input' }) } },
          },
        }
      : {}),
    responses: {
      [String(route.status)]: success,
      '400': errorResponse('BAD_USER_INPUT', 'malformed JSON, wrong content type, missing or mistyped fields'),
      '401': errorResponse('UNAUTHENTICATED'),
      '403': errorResponse('FORBIDDEN'),
      '404': errorResponse('NOT_FOUND'),
      '409': errorResponse('CONFLICT'),
      '429': { ...errorResponse('RATE_LIMITED'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
      '503': errorResponse('SERVICE_UNAVAILABLE'),
    },
  };
}

/** The OpenAPI 3.1 document of the REST shim, built from the same route table that serves it. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {
    '/health': {
      get: {
        operationId: 'Health',
        summary: 'Aggregated health of the router and its subgraphs',
        security: [],
        responses: { '200': { description: 'Every service answers' }, '503': { description: 'Degraded: the failing services are named' } },
      },
    },
  };
  for (const route of REST_ROUTES) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationFor(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'PyAirtable Graph REST compatibility API',
      version: '1.0.0',
      description: 'Each route runs a GraphQL operation through the router.',
    },
    // Relative: the router that serves this document, wherever it runs (Swagger UI at /api/v1/docs calls it).
    servers: [{ url: '/', description: 'the router serving this document' }],
    paths,
    components: { schemas: COMPONENT_SCHEMAS, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
