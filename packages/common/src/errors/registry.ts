import { GraphQLError } from 'graphql';

/**
 * The one registry of error codes clients may see (API.md, "Errors"). Every GraphQL error the graph
 * answers carries one of these in `extensions.code`; the REST shim maps them to HTTP statuses.
 */
const definitions = {
  UNAUTHENTICATED: { httpStatus: 401, description: 'No valid credentials for an operation that needs them.' },
  FORBIDDEN: { httpStatus: 403, description: 'Signed in, but not allowed to do this.' },
  BAD_USER_INPUT: { httpStatus: 400, description: 'An argument is invalid; extensions.field names it.' },
  NOT_FOUND: { httpStatus: 404, description: 'The object does not exist or is not visible to the caller.' },
  CONFLICT: { httpStatus: 409, description: 'The change conflicts with existing data (e.g. a taken email).' },
  RATE_LIMITED: { httpStatus: 429, description: 'Too many attempts; extensions.retryAfter gives seconds to wait.' },
  GRAPHQL_VALIDATION_FAILED: { httpStatus: 400, description: 'The operation is not valid against the schema or its limits.' },
  GRAPHQL_PARSE_FAILED: { httpStatus: 400, description: 'The operation is not syntactically valid GraphQL.' },
  SERVICE_UNAVAILABLE: { httpStatus: 503, description: 'A service the operation needs is down or timed out.' },
  INTERNAL_SERVER_ERROR: { httpStatus: 500, description: 'An unexpected error; details are in the logs under the request id.' },
} as const;

export type ErrorCode = keyof typeof definitions;

export const ERROR_CODES = Object.keys(definitions) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(definitions, value);
}

export function httpStatusFor(code: ErrorCode): number {
  return definitions[code].httpStatus;
}

export function describeErrorCode(code: ErrorCode): string {
  return definitions[code].description;
}

export interface ErrorDetails {
  /** The offending input field, for BAD_USER_INPUT. */
  field?: string;
  /** Seconds until a retry may succeed, for RATE_LIMITED. */
  retryAfter?: number;
  /** The subgraph that failed, for SERVICE_UNAVAILABLE. */
  service?: string;
}

export function graphQLError(code: ErrorCode, message: string, details: ErrorDetails = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/** `ERRORS.NOT_FOUND('Workspace not found')` — one constructor per code. */
export const ERRORS = Object.fromEntries(
  ERROR_CODES.map((code) => [code, (message: string, details?: ErrorDetails) => graphQLError(code, message, details)]),
) as Record<ErrorCode, (message: string, details?: ErrorDetails) => GraphQLError>;

export function badInput(field: string, message: string): GraphQLError {
  return graphQLError('BAD_USER_INPUT', message, { field });
}

/** The code carried by a GraphQL error, if it is one of ours. */
export function codeOf(error: { extensions?: Record<string, unknown> } | undefined): ErrorCode | undefined {
  const code = error?.extensions?.['code'];
  return isErrorCode(code) ? code : undefined;
}
