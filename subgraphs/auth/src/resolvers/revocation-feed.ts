// GET /internal/revocations: the record routers pull their revocation lists from; only the router credential opens it.
import { sendGraphQLError } from '@pyairtable/common/http';
import { InvalidRouterCredential, ROUTER_CREDENTIAL_HEADER, verifyRouterCredential } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { RequestHandler } from 'express';
import type { RevocationRecords } from '../data/revocation-records.js';

export const REVOCATION_FEED_PATH = '/internal/revocations';

/**
 * `?since=<epoch ms>` answers the revocations recorded since then (all in force without it) and `asOf`, the
 * instant to ask from next time (less an overlap the router keeps, for transactions that commit late).
 */
export function revocationFeed(records: RevocationRecords, routerSecret: string, logger: Logger): RequestHandler {
  return async (request, response) => {
    try {
      await verifyRouterCredential(routerSecret, request.header(ROUTER_CREDENTIAL_HEADER));
    } catch (error) {
      if (!(error instanceof InvalidRouterCredential)) throw error;
      sendGraphQLError(response, 'UNAUTHENTICATED', 'Only the router may read revocations');
      return;
    }
    const since = typeof request.query['since'] === 'string' ? Number(request.query['since']) : undefined;
    if (since !== undefined && !Number.isFinite(since)) {
      sendGraphQLError(response, 'BAD_USER_INPUT', 'since must be epoch milliseconds', { field: 'since' });
      return;
    }
    const asOf = new Date();
    try {
      const revocations = await records.inForce(asOf, since === undefined ? undefined : new Date(since));
      response.setHeader('cache-control', 'no-store');
      response.json({ asOf: asOf.getTime(), revocations });
    } catch (error) {
      logger.warn({ err: error, dependency: 'database' }, 'could not read the revocation record');
      sendGraphQLError(response, 'SERVICE_UNAVAILABLE', 'The revocation record cannot be read right now', { service: 'auth' });
    }
  };
}
