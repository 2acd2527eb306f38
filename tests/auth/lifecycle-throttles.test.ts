// The throttles of the mailed-link flows are settings: small budgets here, to see each one hold.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@pyairtable/common/config';
import { applyRateLimitDirective, memoryRateLimiters } from '@pyairtable/common/graphql';
import { buildSchema } from 'graphql';
import { loadAuthConfig } from '@pyairtable/auth-subgraph/config';
import { throttlePolicies } from '@pyairtable/common/graphql';
import { startGraph, testEnvironment, type TestGraph } from '../support/graph.js';
import { errorCodes, graphql, randomClientIp, uniqueEmail, type GraphQLResponse } from '../support/client.js';
import { as, dataOf, signUp } from '../users/helpers.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph({
    THROTTLE_PASSWORD_RESET_REQUEST_PER_EMAIL: '3/1m',
    THROTTLE_VERIFY_EMAIL_PER_IP: '2/30s',
    THROTTLE_EMAIL_VERIFICATION_REQUEST_PER_USER: '1/1m',
    THROTTLE_EMAIL_CHANGE_REQUEST_PER_EMAIL: '2/1m',
  });
});
afterAll(async () => {
  await graph.close();
});

const REQUEST_RESET = 'mutation ($email: String!) { requestPasswordReset(email: $email) }';

function retryAfterOf(response: GraphQLResponse<unknown>): unknown {
  return response.body.errors?.[0]?.extensions?.['retryAfter'];
}

describe('throttles of the account lifecycle', () => {
  it('refuses the N+1-th password-reset request for one email within the window, from any address', async () => {
    const email = uniqueEmail('reset-throttle');
    const answers: Array<GraphQLResponse<unknown>> = [];
    // Spelt differently each time: the budget is per account, not per spelling.
    for (const spelling of [email, email.toUpperCase(), ` ${email}`, email]) {
      answers.push(await graphql(graph.routerUrl, REQUEST_RESET, { email: spelling }, { clientIp: randomClientIp() }));
    }
    expect(answers.slice(0, 3).map((answer) => answer.body.data)).toEqual(Array(3).fill({ requestPasswordReset: true }));
    const limited = answers[3];
    if (!limited) throw new Error('no fourth answer');
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
    expect(retryAfterOf(limited)).toEqual(expect.any(Number));
    expect(retryAfterOf(limited)).toBeGreaterThan(0);
    expect(retryAfterOf(limited)).toBeLessThanOrEqual(60);
    // Another email has its own budget.
    expect(dataOf(await graphql(graph.routerUrl, REQUEST_RESET, { email: uniqueEmail('other') }))).toEqual({ requestPasswordReset: true });
  });

  it('limits link redemptions per IP, whatever the token', async () => {
    const clientIp = randomClientIp();
    const verify = () => graphql(graph.routerUrl, 'mutation { verifyEmail(token: "no-such-token") { id } }', {}, { clientIp });
    expect(errorCodes(await verify())).toEqual(['NOT_FOUND']);
    expect(errorCodes(await verify())).toEqual(['NOT_FOUND']);
    const limited = await verify();
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
    expect(retryAfterOf(limited)).toBeLessThanOrEqual(30);
  });

  it('limits verification requests per user and email-change requests per new address', async () => {
    const account = await signUp(graph.routerUrl, { label: 'resend-throttle' });
    expect(dataOf(await as(graph.routerUrl, account, 'mutation { requestEmailVerification }'))).toEqual({ requestEmailVerification: true });
    expect(errorCodes(await as(graph.routerUrl, account, 'mutation { requestEmailVerification }'))).toEqual(['RATE_LIMITED']);

    const wanted = uniqueEmail('wanted');
    const change = (who: typeof account) =>
      as(
        graph.routerUrl,
        who,
        'mutation ($email: String!, $password: String!) { requestEmailChange(newEmail: $email, currentPassword: $password) }',
        {
          email: wanted,
          password: who.password,
        },
      );
    const others = await Promise.all([signUp(graph.routerUrl), signUp(graph.routerUrl), signUp(graph.routerUrl)]);
    const answers: Array<GraphQLResponse<unknown>> = [];
    for (const other of others) answers.push(await change(other));
    expect(answers.map(errorCodes)).toEqual([[], [], ['RATE_LIMITED']]);
  });
});

describe('throttle settings', () => {
  it('keep the earlier literal budgets as defaults and read "<max>/<window>"', async () => {
    const policies = throttlePolicies(loadAuthConfig(await testEnvironment()));
    expect(policies['LOGIN_PER_IP']).toEqual({ max: 30, windowSeconds: 900 });
    expect(policies['REGISTER_PER_IP']).toEqual({ max: 10, windowSeconds: 3600 });
    expect(policies['PASSWORD_RESET_REQUEST_PER_EMAIL']).toEqual({ max: 5, windowSeconds: 3600 });
    const custom = throttlePolicies(loadAuthConfig(await testEnvironment({ THROTTLE_LOGIN_PER_IP: '100/2h' })));
    expect(custom['LOGIN_PER_IP']).toEqual({ max: 100, windowSeconds: 7200 });
  });

  it('refuse a budget that is not "<max>/<window>", naming the setting', async () => {
    for (const budget of ['5 per minute', '0/1m', '5/15']) {
      const load = async () => loadAuthConfig(await testEnvironment({ THROTTLE_REGISTER_PER_EMAIL: budget }));
      await expect(load()).rejects.toThrow(ConfigError);
      await expect(load()).rejects.toThrow(/THROTTLE_REGISTER_PER_EMAIL/);
    }
  });

  it('read the login-failure waits as durations, the cap no shorter than the first wait', async () => {
    const config = loadAuthConfig(await testEnvironment({ LOGIN_FAILURE_DELAY: '2s', LOGIN_FAILURE_MAX_DELAY: '10m' }));
    expect([config.LOGIN_FREE_FAILURES, config.LOGIN_FAILURE_DELAY, config.LOGIN_FAILURE_MAX_DELAY, config.LOGIN_FAILURE_MEMORY]).toEqual([
      5, 2, 600, 3600,
    ]);
    const load = async (overrides: Record<string, string>) => loadAuthConfig(await testEnvironment(overrides));
    await expect(load({ LOGIN_FAILURE_DELAY: 'soon' })).rejects.toThrow(/LOGIN_FAILURE_DELAY/);
    await expect(load({ LOGIN_FAILURE_DELAY: '1m', LOGIN_FAILURE_MAX_DELAY: '30s' })).rejects.toThrow(/LOGIN_FAILURE_MAX_DELAY/);
  });

  it('must match the SDL: a policy without a budget, or a budget no field uses, stops the service from starting', () => {
    const schema = buildSchema(`
      directive @rateLimit(policy: String, max: Int, window: String, by: String! = "ip") repeatable on FIELD_DEFINITION
      type Query { guarded: Int @rateLimit(policy: "GUARDED_PER_IP") literal: Int @rateLimit(max: 3, window: "1m") }
    `);
    const budget = { max: 1, windowSeconds: 60 };
    expect(() => applyRateLimitDirective(schema, memoryRateLimiters(), {})).toThrow(/GUARDED_PER_IP/);
    expect(() => applyRateLimitDirective(schema, memoryRateLimiters(), { GUARDED_PER_IP: budget, GAURDED_PER_IP: budget })).toThrow(/GAURDED_PER_IP/);
    expect(() => applyRateLimitDirective(schema, memoryRateLimiters(), { GUARDED_PER_IP: budget })).not.toThrow();
  });
});
