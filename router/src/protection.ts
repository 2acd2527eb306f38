import { ApolloArmor } from '@escape.tech/graphql-armor';
import { consumeOrRefuse } from '@pyairtable/common/graphql';
import { sendError, type ErrorResponder } from '@pyairtable/common/http';
import type { Logger } from '@pyairtable/common/observability';
import type { RequestHandler } from 'express';
import type { GraphQLError } from 'graphql';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RouterConfig } from './config.js';

/**
 * Depth, alias, cost and token limits checked while the operation is validated, so an abusive query is
 * refused with GRAPHQL_VALIDATION_FAILED before any subgraph is called.
 */
export function operationLimits(config: RouterConfig) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: config.MAX_QUERY_DEPTH, flattenFragments: true },
    maxAliases: { n: config.MAX_ALIASES },
    costLimit: { maxCost: config.MAX_QUERY_COST },
    // graphql-js enforces the token limit while parsing (parseOptions.maxTokens), keeping real syntax
    // errors GRAPHQL_PARSE_FAILED; armor's own tokenizer would report those as validation failures.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    // Suggestions ("did you mean …") would reveal fields hidden from a production schema.
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  }).protect();
  return { plugins, validationRules, parseOptions: { maxTokens: config.MAX_QUERY_TOKENS } };
}

/** Refuses a batch (a JSON array of operations) longer than the limit. */
export function batchSizeLimit(maxBatchSize: number): RequestHandler {
  return (request, response, next) => {
    const body: unknown = request.body;
    if (Array.isArray(body) && body.length > maxBatchSize) {
      sendError(response, 'GRAPHQL_VALIDATION_FAILED', `A batch may hold at most ${maxBatchSize} operations`, 400);
      return;
    }
    next();
  };
}

/** A request budget per client IP, shared by every router replica through the limiter's store. */
export function perClientRateLimit(limiter: RateLimiterAbstract, logger: Logger, respond: ErrorResponder): RequestHandler {
  return async (request, response, next) => {
    try {
      await consumeOrRefuse(limiter, request.ip ?? 'unknown');
      next();
    } catch (error) {
      if (error instanceof Error && 'extensions' in error && (error as GraphQLError).extensions['code'] === 'RATE_LIMITED') {
        respond(response, 'RATE_LIMITED', error.message, { retryAfter: Number((error as GraphQLError).extensions['retryAfter']) });
        return;
      }
      // The throttle's store is down: serve rather than refuse everyone, and say so loudly.
      logger.error({ err: error }, 'per-client rate limit unavailable; request let through');
      next();
    }
  };
}
