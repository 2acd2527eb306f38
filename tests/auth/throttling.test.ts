import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, login, randomClientIp, register, uniqueEmail } from '../support/client.js';

const graph = useGraph();

// The limits declared with @rateLimit in subgraphs/auth/schema.graphql.
const LOGIN_PER_ACCOUNT = 5;
const REGISTER_PER_IP = 10;

describe('@rateLimit on login and register', () => {
  it('lets exactly M of N concurrent logins to one account through, from many addresses', async () => {
    const user = await register(graph.routerUrl);
    const attempts = await Promise.all(Array.from({ length: 20 }, () => login(graph.routerUrl, user.user.email.toUpperCase(), user.password)));
    const limited = attempts.filter((attempt) => errorCodes(attempt).includes('RATE_LIMITED'));
    expect(attempts.filter((attempt) => attempt.body.data?.login)).toHaveLength(LOGIN_PER_ACCOUNT);
    expect(limited).toHaveLength(20 - LOGIN_PER_ACCOUNT);
    const retryAfter = limited[0]?.body.errors?.[0]?.extensions?.['retryAfter'];
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

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
