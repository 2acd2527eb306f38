import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What the code serving one request knows of it wherever it runs, and what it leaves for the access log. */
export interface RequestScope {
  requestId: string;
  /** The GraphQL operations the request ran (noteOperationName), for its access-log line. */
  operationNames: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();
/** Each request's scope by its request object, for what reads it once the request has left the scope (the access log). */
const scopesByRequest = new WeakMap<object, RequestScope>();

/** Runs `fn` (the rest of the request's handling) inside the scope of `request`: every log line inside carries its id. */
export function runInRequestScope<T>(request: object, scope: RequestScope, fn: () => T): T {
  scopesByRequest.set(request, scope);
  return storage.run(scope, fn);
}

export function requestScopeOf(request: object): RequestScope | undefined {
  return scopesByRequest.get(request);
}

/** Runs `fn` with a request id that every log line written inside it carries. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId, operationNames: [] }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

const OPERATION_NAME_MAX = 100;

/** Records that the current request ran a GraphQL operation of this name (clients choose it: it is cut short). */
export function noteOperationName(name: string | null | undefined): void {
  storage.getStore()?.operationNames.push(name ? name.slice(0, OPERATION_NAME_MAX) : 'anonymous');
}

const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A client's x-request-id is kept when it is a sane token; otherwise a new one is made. */
export function requestIdFrom(headerValue: string | string[] | undefined): string {
  const candidate = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  return candidate && ACCEPTABLE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}
