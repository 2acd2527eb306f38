/** What each GraphQL operation the router runs knows of its request: who asks, the credential vouching for them, the request id. */
import { REQUEST_ID_HEADER, currentRequestId } from '@pyairtable/common/http';
import { signRouterCredential, type Identity } from '@pyairtable/common/identity';
import type { Request, Response } from 'express';

export interface RouterContext {
  identity: Identity | null;
  /** Signed once per request and sent to every subgraph the plan calls. */
  routerCredential: string;
  requestId: string;
}

export type RouterContextFactory = (request: Request, response: Response) => Promise<RouterContext>;

/** Builds the context of a request that `authenticate` has already seen (it leaves the caller's identity on the response). */
export function routerContextFactory(routerSharedSecret: string): RouterContextFactory {
  return async (request, response) => {
    const identity = response.locals.identity ?? null;
    const routerCredential = await signRouterCredential(routerSharedSecret, {
      identity,
      clientIp: request.ip ?? null,
      userAgent: request.headers['user-agent'] ?? null,
    });
    return { identity, routerCredential, requestId: currentRequestId() ?? String(request.headers[REQUEST_ID_HEADER]) };
  };
}
