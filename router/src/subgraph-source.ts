import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ERRORS } from '@pyairtable/common/errors';
import { REQUEST_ID_HEADER } from '@pyairtable/common/http';
import { ROUTER_CREDENTIAL_HEADER } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { Histogram } from 'prom-client';
import type { RouterContext } from './request-context.js';

/**
 * How the router talks to one subgraph: it vouches for the caller with a credential only it can sign,
 * passes the request id on, bounds the wait, and times each fetch.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    readonly name: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly fetchDuration: Histogram<'subgraph' | 'outcome'>,
    private readonly logger: Logger,
  ) {
    super({ url });
    const fetcher = this.fetcher;
    this.fetcher = (input, init) => fetcher(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = options.request.http?.headers;
    // Only a client's operation has someone to vouch for: the gateway's health checks and schema loading
    // come with no incoming request (and an empty context).
    if (!headers || !('incomingRequestContext' in options)) return;
    headers.set(ROUTER_CREDENTIAL_HEADER, options.context.routerCredential);
    headers.set(REQUEST_ID_HEADER, options.context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>) {
    const stopTimer = this.fetchDuration.startTimer({ subgraph: this.name });
    try {
      const response = await super.process(options);
      stopTimer({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      // Down, timed out, or refusing the router: the client learns which service, not how it failed;
      // the rest of the plan still runs, so the answer carries whatever data the other services gave.
      stopTimer({ outcome: 'failed' });
      this.logger.error({ err: error, subgraph: this.name }, 'subgraph fetch failed');
      throw ERRORS.SERVICE_UNAVAILABLE(`The ${this.name} service is unavailable`, { service: this.name });
    }
  }
}
