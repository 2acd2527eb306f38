/** The tests' client of the graph: GraphQL over HTTP, accounts, and assertions that name the request they are about. */
import type { expect as jestExpect } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { eventually } from './eventually.js';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: TData | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
}

export interface RequestOptions {
  token?: string;
  /** The client address the router sees (it trusts X-Forwarded-For from loopback in tests). */
  clientIp?: string;
  headers?: Record<string, string>;
}

/** A fresh address from TEST-NET-2, so per-IP throttles of one test do not touch another's. */
/**
 * A client address no other request of the run shares (throttles count per address, and every test graph of a run
 * shares one Redis prefix): 2001:db8::/32, the IPv6 documentation range, with a random /64 network inside it.
 */
export function randomClientIp(): string {
  const group = () => randomInt(0, 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::${group()}`;
}

export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  { token, clientIp = randomClientIp(), headers = {} }: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': clientIp,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: GraphQLResponse<TData>['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse<TData>['body'];
  } catch {
    throw new Error(`${describeResponse(response)}: non-JSON answer: ${text.slice(0, 500)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

export function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.body.errors ?? []).map((error) => error.extensions?.['code']);
}

export const AUTH_PAYLOAD_FIELDS = 'accessToken refreshToken tokenType expiresIn user { id email role createdAt }';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; email: string; role: string; createdAt: string };
}

let emailCounter = 0;
export function uniqueEmail(label = 'user'): string {
  emailCounter += 1;
  return `${label}.${Date.now().toString(36)}.${emailCounter}.${randomInt(0, 1e6)}@example.test`;
}

export async function register(
  url: string,
  input: { email?: string; password?: string; displayName?: string } = {},
  options: RequestOptions = {},
): Promise<AuthPayload & { password: string }> {
  const password = input.password ?? 'correct horse battery';
  const response = await graphql<{ register: AuthPayload }>(
    url,
    `mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`,
    { input: { email: input.email ?? uniqueEmail(), password, displayName: input.displayName } },
    options,
  );
  const payload = response.body.data?.register;
  if (!payload) throw new Error(`${describeResponse(response)}: register failed: ${JSON.stringify(response.body.errors)}`);
  return { ...payload, password };
}

export async function login(url: string, email: string, password: string, options: RequestOptions = {}) {
  return graphql<{ login: AuthPayload }>(
    url,
    `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`,
    { input: { email, password } },
    options,
  );
}

/** A signed-in test account. */
export interface Account {
  id: string;
  email: string;
  token: string;
  password: string;
}

/** Registers a fresh account through the router and returns it signed in. */
export async function signUp(
  routerUrl: string,
  { label = 'user', email, displayName }: { label?: string; email?: string; displayName?: string } = {},
): Promise<Account> {
  const registered = await register(routerUrl, { email: email ?? uniqueEmail(label), displayName });
  return { id: registered.user.id, email: registered.user.email, token: registered.accessToken, password: registered.password };
}

/** Runs an operation as `account` (anonymous without one). */
export function as<TData = Record<string, unknown>>(
  routerUrl: string,
  account: Account | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<TData>> {
  return graphql<TData>(routerUrl, query, variables, account ? { token: account.token } : {});
}

/**
 * Waits until the users subgraph serves the profile of each signed-in token: profiles come from auth's events
 * through Redis, a moment after the registration answered.
 */
export async function untilProfilesServed(routerUrl: string, tokens: string[]): Promise<void> {
  for (const token of tokens)
    await eventually(
      () => graphql(routerUrl, '{ me { displayName } }', {}, { token }),
      (answer) => answer.body.errors === undefined,
    );
}

/** Which answer this is: its request id (to find it in the services' logs) and HTTP status. */
export function describeResponse(response: Pick<GraphQLResponse<unknown>, 'status' | 'headers'>): string {
  return `request ${response.headers.get('x-request-id') ?? '(no x-request-id)'} (HTTP ${response.status})`;
}

/**
 * Runs assertions about one response; when one fails, its message (and the stack jest prints) starts with the
 * response's request id and HTTP status.
 */
export function aboutResponse<T>(response: Pick<GraphQLResponse<unknown>, 'status' | 'headers'>, assertions: () => T): T {
  try {
    return assertions();
  } catch (error) {
    if (error instanceof Error) {
      // jest prints the stack, which embeds the message as it was when the stack was first read: read it first.
      const { message, stack } = error;
      error.message = `${describeResponse(response)}: ${message}`;
      if (stack?.includes(message)) error.stack = stack.replace(message, () => error.message);
    }
    throw error;
  }
}

/**
 * jest's `expect`, from the global jest injects into tests: importing it from @jest/globals would make this module
 * unusable outside jest, and the benchmarks (scripts/bench) use its HTTP helpers.
 */
function expect(...args: Parameters<typeof jestExpect>): ReturnType<typeof jestExpect> {
  const injected = (globalThis as { expect?: typeof jestExpect }).expect;
  if (!injected) throw new Error('the assertion helpers of tests/support/client.ts run only inside jest');
  return injected(...args);
}

/** The data of a response that must have succeeded. */
export function dataOf<TData>(response: GraphQLResponse<TData>): TData {
  return aboutResponse(response, () => {
    expect(response.body.errors).toBeUndefined();
    if (!response.body.data) throw new Error(`no data: ${JSON.stringify(response.body)}`);
    return response.body.data;
  });
}

/** Asserts the response failed with exactly this one error code (and field, for BAD_USER_INPUT). */
export function expectError(response: GraphQLResponse<unknown>, code: string, field?: string): void {
  aboutResponse(response, () => {
    expect(errorCodes(response)).toEqual([code]);
    if (field !== undefined) expect(response.body.errors?.[0]?.extensions?.['field']).toBe(field);
  });
}
