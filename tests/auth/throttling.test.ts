import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { startGraph, type TestGraph } from '../support/graph.js';
import { useGraph } from '../support/use-graph.js';
import { itemAt } from '../support/defined.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, login, randomClientIp, register, uniqueEmail, type GraphQLResponse } from '../support/client.js';

const graph = useGraph();

// The limits of subgraphs/auth/src/config.ts: 10 registrations per address, 5 free login failures per account.
const REGISTER_PER_IP = 10;
const FREE_LOGIN_FAILURES = 5;

function retryAfterOf(response: GraphQLResponse<unknown>): unknown {
  return response.body.errors?.[0]?.extensions?.['retryAfter'];
}

describe('the per-account login throttle counts failures only', () => {
  it('never refuses the owner for signing in often: eight correct sign-ins in a row all succeed', async () => {
    const user = await register(graph.routerUrl);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const answer = await login(graph.routerUrl, user.user.email, user.password);
      expect(errorCodes(answer)).toEqual([]);
      expect(answer.body.data?.login.accessToken).toEqual(expect.any(String));
    }
  });

  it('lets the free failures and one more through a burst of concurrent guesses, from many addresses', async () => {
    const user = await register(graph.routerUrl);
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, index) => login(graph.routerUrl, user.user.email, `wrong guess ${index}`)));
    expect(guesses.filter((guess) => errorCodes(guess).includes('UNAUTHENTICATED'))).toHaveLength(FREE_LOGIN_FAILURES + 1);
    const limited = guesses.filter((guess) => errorCodes(guess).includes('RATE_LIMITED'));
    expect(limited).toHaveLength(12 - FREE_LOGIN_FAILURES - 1);
    expect(retryAfterOf(itemAt(limited, 0, 'a refused guess'))).toEqual(expect.any(Number));
    // Another account is not slowed down by them.
    const other = await register(graph.routerUrl);
    expect(errorCodes(await login(graph.routerUrl, other.user.email, other.password))).toEqual([]);
  });

  it('keeps no email in plain text in Redis: throttle keys hold a hash of it', async () => {
    const email = uniqueEmail('hashed-key');
    await register(graph.routerUrl, { email });
    await login(graph.routerUrl, email, 'not the password');
    await graphql(graph.routerUrl, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email });
    const redis = new Redis(runRedisUrl(), { lazyConnect: true });
    try {
      await redis.connect();
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `${runRedisPrefix()}*`, count: 1000 })) keys.push(...(batch as string[]));
      expect(keys.some((key) => key.includes('login-failures'))).toBe(true);
      const localPart = email.slice(0, email.indexOf('@')).toLowerCase();
      expect(keys.filter((key) => key.toLowerCase().includes(localPart))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('progressive waits after repeated login failures', () => {
  let slowed: TestGraph;
  beforeAll(async () => {
    slowed = await startGraph({ LOGIN_FREE_FAILURES: '2', LOGIN_FAILURE_DELAY: '2s', LOGIN_FAILURE_MAX_DELAY: '4s' });
  });
  afterAll(async () => {
    await slowed.close();
  });

  it('past the free failures, one attempt per wait, the wait doubling up to its cap; a success clears them', async () => {
    const user = await register(slowed.routerUrl);
    const attempt = (password: string) => login(slowed.routerUrl, user.user.email, password);
    expect(errorCodes(await attempt('wrong 1'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await attempt('wrong 2'))).toEqual(['UNAUTHENTICATED']);

    // The first attempt past the free ones goes ahead and starts a 2 s wait; the next waits, even with the password.
    expect(errorCodes(await attempt('wrong 3'))).toEqual(['UNAUTHENTICATED']);
    const firstWait = await attempt(user.password);
    expect(errorCodes(firstWait)).toEqual(['RATE_LIMITED']);
    expect(retryAfterOf(firstWait)).toBe(2);

    await sleep(2_100);
    expect(errorCodes(await attempt('wrong 4'))).toEqual(['UNAUTHENTICATED']);
    const doubled = await attempt('wrong 5');
    expect(errorCodes(doubled)).toEqual(['RATE_LIMITED']);
    expect(retryAfterOf(doubled)).toBe(4);

    await sleep(4_100);
    expect(errorCodes(await attempt('wrong 6'))).toEqual(['UNAUTHENTICATED']);
    const capped = await attempt('wrong 7');
    expect(errorCodes(capped)).toEqual(['RATE_LIMITED']);
    expect(retryAfterOf(capped)).toBe(4);

    await sleep(4_100);
    expect(errorCodes(await attempt(user.password))).toEqual([]);
    // The success forgot every failure: the free ones are free again.
    expect(errorCodes(await attempt('wrong again 1'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await attempt('wrong again 2'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await attempt(user.password))).toEqual([]);
  }, 60_000);
});

describe('@rateLimit on register', () => {
  it('lets exactly M of N concurrent registrations from one address through', async () => {
    const clientIp = randomClientIp();
    const attempts = await Promise.all(
      Array.from({ length: 16 }, () =>
        graphql(
          graph.routerUrl,
          `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`,
          { input: { email: uniqueEmail('burst'), password: 'long enough password' } },
          { clientIp },
        ),
      ),
    );
    expect(attempts.filter((attempt) => attempt.body.data?.['register'])).toHaveLength(REGISTER_PER_IP);
    expect(attempts.flatMap(errorCodes)).toEqual(Array(16 - REGISTER_PER_IP).fill('RATE_LIMITED'));
  });
});
