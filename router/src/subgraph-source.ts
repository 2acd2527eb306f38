import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ERRORS } from '@pyairtable/common/errors';
import { REQUEST_ID_HEADER } from '@pyairtable/common/http';
import { ROUTER_CREDENTIAL_HEADER } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import { OperationTypeNode } from 'graphql';
import type { Counter, Histogram } from 'prom-client';
import type { Dispatcher } from 'undici';
import { mergeEntityFetches, type SubgraphOperation } from './entity-fetches.js';
import type { RouterContext } from './request-context.js';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** A subgraph's answer as it came over the wire: deduplicated fetches share it, and each parses its own copy. */
interface RawAnswer {
  status: number;
  contentType: string;
  cacheControl: string;
  body: string;
}

export interface SubgraphSourceOptions {
  name: string;
  /** The subgraph's GraphQL URL. */
  url: string;
  timeoutMs: number;
  /** undici's keep-alive connection pool, shared by every subgraph. */
  dispatcher: Dispatcher;
  /** Whether concurrent identical query fetches for the same caller share one subgraph request. */
  deduplicate: boolean;
  /** Whether the fetches one client request makes to this subgraph at the same moment go out as one HTTP batch. */
  batch: boolean;
  fetchDuration: Histogram<'subgraph' | 'outcome'>;
  deduplicatedFetches: Counter<'subgraph'>;
  logger: Logger;
}

/**
 * How the router talks to one subgraph: it vouches for the caller with a credential only it can sign, passes the
 * request id on, bounds the wait, and times each fetch. Requests go out through undici's pool: Apollo's
 * RemoteGraphQLDataSource goes through make-fetch-happen, whose agent guesses the protocol from an Error's stack on
 * every request (about a quarter of the router's CPU in a profile).
 *
 * Identical query fetches in flight at the same moment — same subgraph, same body (query and variables), same
 * caller as the credential describes it — share one request, as Apollo Router's `deduplicate_query` does. The key
 * is the credential's subject, not the signed header, which is signed anew every 20 seconds. Nothing of a mutation
 * operation is ever shared: its later fetches must see its own writes.
 */
export class SubgraphSource implements GraphQLDataSource<RouterContext> {
  private readonly origin: string;
  private readonly path: string;
  private readonly inFlight = new Map<string, Promise<RawAnswer>>();
  /** Operations waiting to go out together, per client request. */
  private readonly batches = new Map<RouterContext, PendingBatch>();

  constructor(private readonly options: SubgraphSourceOptions) {
    const url = new URL(options.url);
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}`;
  }

  get name(): string {
    return this.options.name;
  }

  async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    const { name, fetchDuration, logger } = this.options;
    const stopTimer = fetchDuration.startTimer({ subgraph: name });
    try {
      const response = await this.fetchFromSubgraph(options);
      stopTimer({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      // Down, timed out, or refusing the router: the client learns which service, not how it failed;
      // the rest of the plan still runs, so the answer carries whatever data the other services gave.
      stopTimer({ outcome: 'failed' });
      logger.error({ err: error, subgraph: name }, 'subgraph fetch failed');
      throw ERRORS.SERVICE_UNAVAILABLE(`The ${name} service is unavailable`, { service: name });
    }
  }

  private async fetchFromSubgraph(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    const { query, variables, operationName, extensions, http } = options.request;
    if (!query) throw new Error('Missing query');
    const operation: SubgraphOperation = { query, variables, operationName, extensions };
    const body = JSON.stringify(operation);
    const headers: Record<string, string> = {};
    if (http?.headers) for (const [header, value] of http.headers) headers[header] = value;
    headers['content-type'] = 'application/json';
    let sharedBy: string | undefined;
    let send = () => this.send(headers, body);
    // Only a client's operation has someone to vouch for: the gateway's health checks and schema loading come with
    // no incoming request (and an empty context).
    if ('incomingRequestContext' in options) {
      const { context } = options;
      headers[ROUTER_CREDENTIAL_HEADER] = context.routerCredential;
      headers[REQUEST_ID_HEADER] = context.requestId;
      if (this.options.deduplicate && options.incomingRequestContext.operation.operation === OperationTypeNode.QUERY)
        sharedBy = context.credentialSubject;
      if (this.options.batch) send = () => this.sendInBatch(context, headers, operation, body);
    }
    const answer = await (sharedBy === undefined ? send() : this.sendOnce(`${sharedBy}\n${body}`, send));
    if (answer.status < 200 || answer.status > 299) throw new Error(`HTTP ${answer.status} from ${this.options.name}: ${answer.body.slice(0, 500)}`);
    const isJson = answer.contentType.startsWith('application/json') || answer.contentType.startsWith('application/graphql-response+json');
    const parsed: unknown = isJson ? JSON.parse(answer.body) : answer.body;
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`Expected JSON response body, but received: ${answer.body.slice(0, 500)}`);
    if ('incomingRequestContext' in options) restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, answer.cacheControl);
    return parsed;
  }

  private async send(headers: Record<string, string>, body: string): Promise<RawAnswer> {
    const response = await this.options.dispatcher.request({
      origin: this.origin,
      path: this.path,
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      contentType: headerValue(response.headers['content-type']),
      cacheControl: headerValue(response.headers['cache-control']),
      body: text,
    };
  }

  /**
   * Queues an operation of a client request; the operations of that request queued before the current job's
   * microtasks finish (the query plan starts the fetches of one level together) go out as one JSON array, which
   * the subgraph runs with one context, so its DataLoaders serve them all. Entity fetches of the same selection
   * among them go out as one operation (mergeEntityFetches).
   */
  private sendInBatch(context: RouterContext, headers: Record<string, string>, operation: SubgraphOperation, body: string): Promise<RawAnswer> {
    let batch = this.batches.get(context);
    if (!batch) {
      const created: PendingBatch = { headers, operations: [] };
      this.batches.set(context, created);
      queueMicrotask(() => {
        this.batches.delete(context);
        void this.sendBatch(created);
      });
      batch = created;
    }
    const operations = batch.operations;
    return new Promise<RawAnswer>((resolve, reject) => operations.push({ operation, body, resolve, reject }));
  }

  private async sendBatch({ headers, operations }: PendingBatch): Promise<void> {
    try {
      if (operations.length === 1) {
        const [only] = operations;
        only?.resolve(await this.send(headers, only.body));
        return;
      }
      const wire = mergeEntityFetches(operations.map(({ operation }) => operation));
      const bodies = wire.map(({ operation }) => JSON.stringify(operation));
      const answer = await this.send(headers, wire.length === 1 ? (bodies[0] ?? '') : `[${bodies.join(',')}]`);
      const succeeded = answer.status >= 200 && answer.status <= 299;
      const parsed: unknown = succeeded ? JSON.parse(answer.body) : undefined;
      const results = wire.length === 1 ? [parsed] : parsed;
      if (!succeeded || !Array.isArray(results) || results.length !== wire.length) {
        // An HTTP error (or a subgraph that does not batch): every operation of the batch fails the same way.
        for (const { resolve } of operations) resolve(succeeded ? { ...answer, status: 502 } : answer);
        return;
      }
      wire.forEach(({ split }, position) => {
        for (const { index, result } of split(results[position])) operations[index]?.resolve({ ...answer, body: JSON.stringify(result) });
      });
    } catch (error) {
      for (const operation of operations) operation.reject(error);
    }
  }

  /** The answer of the identical request in flight, else of a new one. */
  private sendOnce(key: string, send: () => Promise<RawAnswer>): Promise<RawAnswer> {
    const pending = this.inFlight.get(key);
    if (pending) {
      this.options.deduplicatedFetches.inc({ subgraph: this.options.name });
      return pending;
    }
    const started = send().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}

interface PendingBatch {
  headers: Record<string, string>;
  operations: Array<{ operation: SubgraphOperation; body: string; resolve: (answer: RawAnswer) => void; reject: (error: unknown) => void }>;
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

interface CachePolicy {
  restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void;
}

/** What Apollo's data source does with a subgraph's Cache-Control header: the answer is cached no longer than any part. */
function restrictCachePolicy(policy: unknown, cacheControl: string): void {
  if (typeof policy !== 'object' || policy === null || !('restrict' in policy)) return;
  const maxAge = /(?:^|[,\s])max-age=(\d+)/i.exec(cacheControl)?.[1];
  const scope = /(?:^|[,\s])private(?:$|[,\s])/i.test(cacheControl)
    ? 'PRIVATE'
    : /(?:^|[,\s])public(?:$|[,\s])/i.test(cacheControl)
      ? 'PUBLIC'
      : undefined;
  (policy as CachePolicy).restrict({ maxAge: maxAge ? Number(maxAge) : 0, ...(scope ? { scope } : {}) });
}
