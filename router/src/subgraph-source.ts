import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER, ROUTER_CREDENTIAL_HEADER } from '@pyairtable/common';
import type { Histogram } from 'prom-client';
import type { RouterContext } from './context.js';

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
  ) {
    super({ url });
    const fetcher = this.fetcher;
    this.fetcher = (input, init) => fetcher(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('routerCredential' in context)) return;
    headers.set(ROUTER_CREDENTIAL_HEADER, context.routerCredential);
    headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>) {
    const stopTimer = this.fetchDuration.startTimer({ subgraph: this.name });
    try {
      const response = await super.process(options);
      stopTimer({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      stopTimer({ outcome: 'failed' });
      throw error;
    }
  }
}
