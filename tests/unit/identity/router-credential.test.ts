/** The router credential (identity/router-credential.ts): signed once per caller for 20 seconds, remembered once verified. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { InvalidRouterCredential, routerCredentialSigner, routerCredentialVerifier, type RequestOrigin } from '@pyairtable/common/identity';

const SECRET = 'a-router-secret-of-at-least-thirty-two-characters';
const ADA: RequestOrigin = {
  identity: { userId: 'u-1', email: 'ada@example.com', role: 'USER', sessionId: 's-1', tokenExpiresAt: 2_000_000_000 },
  clientIp: '2001:db8::1',
  userAgent: 'test',
};
const ANONYMOUS: RequestOrigin = { identity: null, clientIp: '2001:db8::2', userAgent: null };

async function refusal(verify: (credential: string | undefined) => Promise<RequestOrigin>, credential: string | undefined): Promise<unknown> {
  try {
    await verify(credential);
  } catch (error) {
    return error instanceof InvalidRouterCredential ? 'refused' : error;
  }
  return 'accepted';
}

describe('routerCredentialSigner', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives one origin the same credential for 20 seconds, then a new one, and each origin its own', async () => {
    // Only the clock is faked: webcrypto's promises and jose's microtasks run as usual.
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval'] });
    const sign = routerCredentialSigner(SECRET);
    const verify = routerCredentialVerifier(SECRET);
    const first = await sign(ADA, 'ada');
    jest.setSystemTime(Date.now() + 19_000);
    expect(await sign(ADA, 'ada')).toBe(first);
    const other = await sign(ANONYMOUS, 'anonymous');
    expect(other).not.toBe(first);
    expect(await verify(first)).toEqual(ADA);
    expect(await verify(other)).toEqual(ANONYMOUS);

    jest.setSystemTime(Date.now() + 2_000);
    const renewed = await sign(ADA, 'ada');
    expect(renewed).not.toBe(first);
    expect(await verify(renewed)).toEqual(ADA);
  });
});

describe('routerCredentialVerifier', () => {
  it('accepts a remembered credential again, and still refuses a forged, a missing and a stale one', async () => {
    const verify = routerCredentialVerifier(SECRET);
    const credential = await routerCredentialSigner(SECRET)(ADA, 'ada');
    expect(await verify(credential)).toEqual(ADA);
    expect(await verify(credential)).toEqual(ADA);

    const forged = await routerCredentialSigner('another-secret-of-at-least-thirty-two-chars')(ADA, 'ada');
    expect(await refusal(verify, forged)).toBe('refused');
    const [header = '', , signature = ''] = credential.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ usr: { ...ADA.identity, role: 'ADMIN' } })).toString('base64url')}.${signature}`;
    expect(await refusal(verify, tampered)).toBe('refused');
    expect(await refusal(verify, undefined)).toBe('refused');

    const now = Math.floor(Date.now() / 1000);
    const stale = await new SignJWT({ usr: ADA.identity })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('pyairtable-router')
      .setAudience('pyairtable-subgraphs')
      .setIssuedAt(now - 120)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(SECRET));
    expect(await refusal(verify, stale)).toBe('refused');
  });

  it('answers the requests that bring a new credential at the same moment alike, each with its own copy', async () => {
    const verify = routerCredentialVerifier(SECRET);
    const credential = await routerCredentialSigner(SECRET)(ADA, 'ada');
    const [first, second] = await Promise.all([verify(credential), verify(credential)]);
    expect(first).toEqual(ADA);
    expect(second).toEqual(ADA);
    expect(second).not.toBe(first);

    const forged = await routerCredentialSigner('another-secret-of-at-least-thirty-two-chars')(ADA, 'ada');
    expect(await Promise.all([refusal(verify, forged), refusal(verify, forged)])).toEqual(['refused', 'refused']);
    expect(await refusal(verify, forged)).toBe('refused');
  });

  it('hands each caller its own copy of the origin', async () => {
    const verify = routerCredentialVerifier(SECRET);
    const credential = await routerCredentialSigner(SECRET)(ANONYMOUS, 'anonymous');
    const first = await verify(credential);
    first.clientIp = 'changed by one request';
    expect(await verify(credential)).toEqual(ANONYMOUS);
  });
});
