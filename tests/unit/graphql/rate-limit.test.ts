/** @rateLimit (rate-limit.ts): window parsing, the refusal past a limit, and whose budget an attempt counts against. */
import { describe, expect, it } from '@jest/globals';
import { buildSchema, graphql } from 'graphql';
import { applyRateLimitDirective, consumeOrRefuse, memoryRateLimiters, parseWindow, throttleSubjectForAddress } from '@pyairtable/common/graphql';
import type { Identity } from '@pyairtable/common/identity';
import { createLogger } from '@pyairtable/common/observability';
import type { SubgraphContextBase } from '@pyairtable/common/subgraphs';

describe('parseWindow', () => {
  it.each([
    ['30s', 30],
    ['1m', 60],
    ['15m', 900],
    ['1h', 3_600],
    ['24h', 86_400],
    ['1d', 86_400],
    ['7d', 604_800],
  ])('%s is %d seconds', (window, seconds) => {
    expect(parseWindow(window)).toBe(seconds);
  });

  it.each(['', '15', 'm', '1.5h', '1w', '1H', '-1m', ' 1h', '1h ', '1 h', '1hm', '15min'])(
    'refuses %j, naming the window and the forms it takes',
    (window) => {
      expect(() => parseWindow(window)).toThrow(`@rateLimit window "${window}" must look like 30s, 15m, 1h or 1d`);
    },
  );
});

describe('consumeOrRefuse', () => {
  it('lets the budget through, then refuses with RATE_LIMITED and the seconds to wait, per key', async () => {
    const limiter = memoryRateLimiters()({ name: 'unit', max: 2, windowSeconds: 60 });
    await consumeOrRefuse(limiter, 'ip:1');
    await consumeOrRefuse(limiter, 'ip:1');
    const refusal = await consumeOrRefuse(limiter, 'ip:1').then(
      () => undefined,
      (error: unknown) => error as { extensions: Record<string, unknown>; message: string },
    );
    expect(refusal?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    const retryAfter = refusal?.extensions['retryAfter'] as number;
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refusal?.message).toBe(`Too many attempts; try again in ${retryAfter} s`);
    await expect(consumeOrRefuse(limiter, 'ip:2')).resolves.toBeUndefined();
  });
});

describe('the @rateLimit directive', () => {
  const schema = applyRateLimitDirective(
    buildSchema(`
      directive @rateLimit(max: Int!, window: String!, by: String! = "ip") repeatable on FIELD_DEFINITION
      input LoginInput { email: String! }
      type Query { ping: Boolean }
      type Mutation {
        login(input: LoginInput!): Boolean @rateLimit(max: 3, window: "15m") @rateLimit(max: 1, window: "15m", by: "input.email")
        changePassword: Boolean @rateLimit(max: 1, window: "1h", by: "user")
      }
    `),
    memoryRateLimiters(),
  );
  const rootValue = { login: () => true, changePassword: () => true };
  const logger = createLogger('rate-limit-unit-test', 'silent');
  const identity: Identity = { userId: 'u-1', email: 'ada@example.test', role: 'USER', sessionId: 's-1', tokenExpiresAt: 0 };

  async function codeOfCall(source: string, { clientIp = '192.0.2.1', signedIn = false } = {}): Promise<unknown> {
    const contextValue: SubgraphContextBase = { origin: { identity: signedIn ? identity : null, clientIp, userAgent: null }, requestId: 'r', logger };
    const result = await graphql({ schema, source, rootValue, contextValue });
    return result.errors?.[0]?.extensions['code'] ?? 'OK';
  }
  const login = (email: string, clientIp: string) => codeOfCall(`mutation { login(input: { email: ${JSON.stringify(email)} }) }`, { clientIp });

  it('counts by an argument, trimmed and case-insensitively, and by client IP: every limit on the field applies', async () => {
    expect(await login('ada@example.test', '192.0.2.10')).toBe('OK');
    // The same account from another address, written differently: the per-account budget of 1 is spent.
    expect(await login('  ADA@Example.TEST ', '192.0.2.11')).toBe('RATE_LIMITED');
    // Other accounts from the first address: its budget of 3 lets two more through (the refused attempt above was not its).
    expect(await login('grace@example.test', '192.0.2.10')).toBe('OK');
    expect(await login('linus@example.test', '192.0.2.10')).toBe('OK');
    expect(await login('barbara@example.test', '192.0.2.10')).toBe('RATE_LIMITED');
  });

  it('counts by user when signed in, and by client IP otherwise', async () => {
    const changePassword = 'mutation { changePassword }';
    expect(await codeOfCall(changePassword, { signedIn: true, clientIp: '192.0.2.20' })).toBe('OK');
    expect(await codeOfCall(changePassword, { signedIn: true, clientIp: '192.0.2.21' })).toBe('RATE_LIMITED');
    expect(await codeOfCall(changePassword, { clientIp: '192.0.2.20' })).toBe('OK');
    expect(await codeOfCall(changePassword, { clientIp: '192.0.2.20' })).toBe('RATE_LIMITED');
  });

  it('refuses a schema whose window is not one', () => {
    const broken = buildSchema(`
      directive @rateLimit(max: Int!, window: String!, by: String! = "ip") repeatable on FIELD_DEFINITION
      type Query { ping: Boolean @rateLimit(max: 1, window: "an hour") }
    `);
    expect(() => applyRateLimitDirective(broken, memoryRateLimiters())).toThrow('@rateLimit window "an hour"');
  });
});

describe('throttleSubjectForAddress', () => {
  it('counts an IPv4 address, and an IPv4-mapped IPv6 one, as that IPv4 address', () => {
    expect(throttleSubjectForAddress('203.0.113.7')).toBe('ip:203.0.113.7');
    expect(throttleSubjectForAddress('::ffff:203.0.113.7')).toBe('ip:203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one subject, and different /64s apart', () => {
    const subject = throttleSubjectForAddress('2001:db8:1:2::1');
    expect(throttleSubjectForAddress('2001:0db8:0001:0002:ffff:ffff:ffff:fffe')).toBe(subject);
    expect(throttleSubjectForAddress('2001:db8:1:3::1')).not.toBe(subject);
    expect(subject).toBe('ip:2001:db8:1:2::/64');
  });

  it('counts a missing or malformed address as unknown', () => {
    expect(throttleSubjectForAddress(null)).toBe('ip:unknown');
    expect(throttleSubjectForAddress('not an address')).toBe('ip:unknown');
  });
});
