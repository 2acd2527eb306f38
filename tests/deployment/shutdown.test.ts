import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { ROUTER_CREDENTIAL_HEADER, signRouterCredential } from '@pyairtable/common/identity';
import { testEnvironment } from '../support/graph.js';
import { uniqueEmail } from '../support/client.js';
import { startServiceProcess } from '../support/processes.js';

describe('SIGTERM in production', () => {
  it('lets an in-flight request finish, then exits 0 promptly', async () => {
    // bcrypt at cost 12 keeps the registration in flight for ~200 ms.
    const env = await testEnvironment({ NODE_ENV: 'production', BCRYPT_COST: '12' });
    const auth = await startServiceProcess('subgraphs/auth/src/main.ts', env);
    const credential = await signRouterCredential(env['ROUTER_SHARED_SECRET'] ?? '', { identity: null, clientIp: '203.0.113.9', userAgent: null });
    const inFlight = fetch(`${auth.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ROUTER_CREDENTIAL_HEADER]: credential },
      body: JSON.stringify({
        query: 'mutation ($input: RegisterInput!) { register(input: $input) { user { id } } }',
        variables: { input: { email: uniqueEmail('sigterm'), password: 'long enough password' } },
      }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const exited = once(auth.process, 'exit');
    const signalledAt = Date.now();
    auth.process.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data?: { register?: { user?: { id?: string } } } }).data?.register?.user?.id).toEqual(expect.any(String));
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // Idle keep-alive connections are closed as they go idle, not left to the 10 s deadline.
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(auth.output()).toContain('shutting down');
  });
});
