/** The router credential (identity/router-credential.ts): signed once per caller and second, remembered once verified. */
import { describe, expect, it } from '@jest/globals';
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
  it('gives one origin the same credential within a second, and each origin its own', async () => {
    const sign = routerCredentialSigner(SECRET);
    const verify = routerCredentialVerifier(SECRET);
    // Signed twice within one second (tried again when the clock ticked in between, which makes a new credential).
    const signTwiceInOneSecond = async (): Promise<[string, string]> => {
      const second = Math.floor(Date.now() / 1000);
      const pair: [string, string] = [await sign(ADA, 'ada'), await sign(ADA, 'ada')];
      return Math.floor(Date.now() / 1000) === second ? pair : signTwiceInOneSecond();
    };
    const [first, again] = await signTwiceInOneSecond();
    expect(again).toBe(first);
    const other = await sign(ANONYMOUS, 'anonymous');
    expect(other).not.toBe(first);
    expect(await verify(first)).toEqual(ADA);
    expect(await verify(other)).toEqual(ANONYMOUS);
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

  it('hands each caller its own copy of the origin', async () => {
    const verify = routerCredentialVerifier(SECRET);
    const credential = await routerCredentialSigner(SECRET)(ANONYMOUS, 'anonymous');
    const first = await verify(credential);
    first.clientIp = 'changed by one request';
    expect(await verify(credential)).toEqual(ANONYMOUS);
  });
});
