/** GET /.well-known/jwks.json: the auth subgraph's public signing keys, re-served so clients need only the router's address. */
import { sendGraphQLError } from '@pyairtable/common/http';
import type { Logger } from '@pyairtable/common/observability';
import type { RequestHandler } from 'express';

export function relaySigningKeys(jwksUrl: string, logger: Logger): RequestHandler {
  return async (_request, response) => {
    try {
      const upstream = await fetch(jwksUrl, { signal: AbortSignal.timeout(3_000) });
      if (!upstream.ok) throw new Error(`HTTP ${upstream.status}`);
      response.setHeader('cache-control', 'public, max-age=300').json(await upstream.json());
    } catch (error) {
      logger.warn({ err: error }, 'JWKS unavailable from the auth subgraph');
      sendGraphQLError(response, 'SERVICE_UNAVAILABLE', 'Signing keys are unavailable right now');
    }
  };
}
