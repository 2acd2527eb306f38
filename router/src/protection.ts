import { ApolloArmor } from '@escape.tech/graphql-armor';
import { consumeOrRefuse, throttleSubjectForAddress } from '@pyairtable/common/graphql';
import { sendError, type ErrorResponder } from '@pyairtable/common/http';
import type { Logger } from '@pyairtable/common/observability';
import type { RequestHandler } from 'express';
import { GraphQLError, Lexer, OperationTypeNode, Source, TokenKind, type ValidationRule } from 'graphql';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RouterConfig } from './config.js';

/**
 * Depth, alias, directive and cost limits checked while the operation is validated, and the token limit while it
 * is parsed, so an abusive query is refused with GRAPHQL_VALIDATION_FAILED before any subgraph is called.
 */
export function operationLimits(config: RouterConfig) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: config.MAX_QUERY_DEPTH, flattenFragments: true },
    // armor leaves __typename out of the count by default; a flood of `aliasN: __typename` is still a flood.
    maxAliases: { n: config.MAX_ALIASES, allowList: [] },
    costLimit: { maxCost: config.MAX_QUERY_COST },
    // graphql-js enforces the token limit while parsing (parseOptions.maxTokens), keeping real syntax
    // errors GRAPHQL_PARSE_FAILED; armor's own tokenizer would report those as validation failures.
    maxTokens: { enabled: false },
    // Over HTTP, directiveLimit refuses an overload first, with one error; this covers operations run in-process.
    maxDirectives: { n: config.MAX_DIRECTIVES },
    // Suggestions ("did you mean …") would reveal fields hidden from a production schema.
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  }).protect();
  return {
    plugins,
    validationRules: [...validationRules, noSubscriptions],
    parseOptions: { maxTokens: config.MAX_QUERY_TOKENS },
  };
}

/**
 * The graph serves queries and mutations over HTTP only: a subscription is the client's mistake (400), not an
 * operation for the gateway to fail on (it would answer 500).
 */
export const noSubscriptions: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
      context.reportError(new GraphQLError('Subscriptions are not supported: send queries and mutations over HTTP', { nodes: operation }));
    }
  },
});

/** The operations of a /graphql request: the JSON body (one, or a batch) or, for GET, the query string. */
function requestedQueries(method: string, body: unknown, query: unknown): unknown[] {
  const operations: unknown[] = method === 'GET' ? [query] : Array.isArray(body) ? body : [body];
  return operations.map((operation) => (typeof operation === 'object' && operation !== null && 'query' in operation ? operation.query : undefined));
}

/**
 * Whether a document uses more than `max` directives, counted on its tokens (in an executable document every `@`
 * starts a directive). Counting stops past the limit or at `maxTokens` (the parser refuses longer documents).
 * A document that does not even lex is left for the parser to report.
 */
export function exceedsDirectiveLimit(document: string, max: number, maxTokens: number): boolean {
  const lexer = new Lexer(new Source(document));
  let directives = 0;
  try {
    for (let tokens = 0, token = lexer.advance(); token.kind !== TokenKind.EOF && tokens < maxTokens; tokens += 1, token = lexer.advance()) {
      if (token.kind === TokenKind.AT && ++directives > max) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Refuses a document with too many directives before it is validated: validation would answer one error per
 * unknown or repeated directive, which both costs work and tells a scanner how many it sent.
 */
export function directiveLimit(maxDirectives: number, maxTokens: number): RequestHandler {
  return (request, response, next) => {
    const documents = requestedQueries(request.method, request.body, request.query);
    if (documents.some((document) => typeof document === 'string' && exceedsDirectiveLimit(document, maxDirectives, maxTokens))) {
      sendError(response, 'GRAPHQL_VALIDATION_FAILED', `An operation may use at most ${maxDirectives} directives`, 400);
      return;
    }
    next();
  };
}

/** Refuses a batch (a JSON array of operations): any while batching is off, else one longer than the limit. */
export function batchLimit({ ALLOW_BATCHED_REQUESTS, MAX_BATCH_SIZE }: RouterConfig): RequestHandler {
  return (request, response, next) => {
    const body: unknown = request.body;
    if (Array.isArray(body) && !ALLOW_BATCHED_REQUESTS) {
      sendError(response, 'BAD_USER_INPUT', 'Batched requests are not accepted: send one operation per request', 400);
      return;
    }
    if (Array.isArray(body) && body.length > MAX_BATCH_SIZE) {
      sendError(response, 'GRAPHQL_VALIDATION_FAILED', `A batch may hold at most ${MAX_BATCH_SIZE} operations`, 400);
      return;
    }
    next();
  };
}

/** A request budget per client IP, shared by every router replica through the limiter's store. */
export function perClientRateLimit(limiter: RateLimiterAbstract, logger: Logger, respond: ErrorResponder): RequestHandler {
  return async (request, response, next) => {
    try {
      await consumeOrRefuse(limiter, throttleSubjectForAddress(request.ip));
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
