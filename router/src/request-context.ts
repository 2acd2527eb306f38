/** What each GraphQL operation the router runs knows of its request: who asks, the credential vouching for them, the request id. */
import { REQUEST_ID_HEADER, currentRequestId } from '@pyairtable/common/http';
import { routerCredentialSigner, type Identity, type RequestOrigin } from '@pyairtable/common/identity';
import type { Request, Response } from 'express';

export interface RouterContext {
  identity: Identity | null;
  /** Signed once per request and sent to every subgraph the plan calls. */
  routerCredential: string;
  /** What the credential vouches for, without its timestamps: fetches with the same subject and body get the same answer. */
  credentialSubject: string;
  requestId: string;
}

export type RouterContextFactory = (request: Request, response: Response) => Promise<RouterContext>;

/** Builds the context of a request that `authenticate` has already seen (it leaves the caller's identity on the response). */
export function routerContextFactory(routerSharedSecret: string): RouterContextFactory {
  const sign = routerCredentialSigner(routerSharedSecret);
  return async (request, response) => {
    const identity = response.locals.identity ?? null;
    const origin: RequestOrigin = { identity, clientIp: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
    const credentialSubject = JSON.stringify(origin);
    return {
      identity,
      routerCredential: await sign(origin, credentialSubject),
      credentialSubject,
      requestId: currentRequestId() ?? String(request.headers[REQUEST_ID_HEADER]),
    };
  };
}
