import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { unavailableDependency } from '../data/database-errors.js';
import { isErrorCode, type ErrorCode } from '../errors/registry.js';
import type { Logger } from '../observability/logger.js';

/** Codes Apollo Server produces itself, translated to the registry's. */
const APOLLO_CODE_TRANSLATIONS: Record<string, ErrorCode> = {
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'GRAPHQL_VALIDATION_FAILED',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

/** Connection failures to our own dependencies are transient: the client may retry, so SERVICE_UNAVAILABLE, naming it. */
const UNAVAILABLE_MESSAGES = {
  database: 'The database is unavailable right now; try again shortly',
  redis: 'Redis is unavailable right now; try again shortly',
} as const;

const SAFE_EXTENSIONS = ['field', 'retryAfter', 'service'] as const;

export interface ErrorFormatterOptions {
  logger: Logger;
  /** Development only: keep the original message of unexpected errors. */
  exposeInternalDetails: boolean;
}

/**
 * Every error leaves with a registry code; anything unexpected is logged with the request id and reaches
 * the client as INTERNAL_SERVER_ERROR with a generic message, so no stack, SQL or host name leaks out.
 */
export function createErrorFormatter({ logger, exposeInternalDetails }: ErrorFormatterOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const rawCode = formatted.extensions?.['code'];
    const code = typeof rawCode === 'string' ? (APOLLO_CODE_TRANSLATIONS[rawCode] ?? rawCode) : undefined;
    if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
      const extensions: Record<string, unknown> = { code };
      for (const key of SAFE_EXTENSIONS) {
        if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
      }
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    const original = unwrapResolverError(error);
    const dependency = unavailableDependency(original);
    if (dependency) {
      logger.warn({ err: original, path: formatted.path, dependency }, 'a dependency is unavailable');
      return { message: UNAVAILABLE_MESSAGES[dependency], path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while answering a GraphQL request');
    return {
      message: exposeInternalDetails ? formatted.message : 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * A document whose operationName matches no operation is the client's mistake: answer 400 with
 * GRAPHQL_VALIDATION_FAILED before the gateway would report it as an internal error.
 */
export function requireResolvedOperationPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, request }) {
          if (operation) return Promise.resolve();
          const message = request.operationName
            ? `Unknown operation named "${request.operationName}"`
            : 'The document has several operations: name the one to run with operationName';
          return Promise.reject(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } }));
        },
      });
    },
  };
}
