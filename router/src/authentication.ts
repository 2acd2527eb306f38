import type { ErrorResponder } from '@pyairtable/common/http';
import { ROUTER_CREDENTIAL_HEADER, type Identity } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { RequestHandler } from 'express';
import { AccessTokenVerifier, InvalidAccessToken, bearerToken } from './access-tokens.js';
import { RevocationsUnavailable } from '@pyairtable/common/identity';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Locals in a global namespace; augmenting it is the only way to type response.locals.
  namespace Express {
    interface Locals {
      /** Who the request's bearer token names: null when it has none; left by `authenticate`. */
      identity?: Identity | null;
    }
  }
}

/** Headers a client might send to pass itself off as someone; only the router's signed credential counts. */
const IDENTITY_HEADERS = [ROUTER_CREDENTIAL_HEADER, 'x-user-id', 'x-user-email', 'x-user-role', 'x-session-id'];

/**
 * Verifies the bearer token before anything is planned: none → anonymous; invalid, expired or revoked →
 * 401 UNAUTHENTICATED. The identity is left in response.locals for the request's context.
 */
export function authenticate(verifier: AccessTokenVerifier, logger: Logger, respond: ErrorResponder): RequestHandler {
  return async (request, response, next) => {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- Node's request.headers is a plain object, and these are fixed names.
    for (const header of IDENTITY_HEADERS) delete request.headers[header];
    const authorization = request.headers.authorization;
    if (!authorization) {
      response.locals.identity = null;
      next();
      return;
    }
    const token = bearerToken(authorization);
    try {
      if (!token) throw new InvalidAccessToken('ERR_NOT_BEARER');
      response.locals.identity = await verifier.verify(token);
      next();
    } catch (error) {
      if (error instanceof InvalidAccessToken) {
        logger.info({ reason: error.message }, 'refused an access token');
        respond(response, 'UNAUTHENTICATED', 'Invalid, expired or revoked access token');
        return;
      }
      if (error instanceof RevocationsUnavailable) logger.warn({ dependency: 'auth' }, 'refused a token: the revocation list is out of date');
      else logger.error({ err: error }, 'could not verify an access token');
      respond(response, 'SERVICE_UNAVAILABLE', 'Sign-in cannot be checked right now');
    }
  };
}
