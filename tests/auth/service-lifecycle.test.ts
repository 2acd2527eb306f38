import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@pyairtable/common/config';
import { loadAuthConfig } from '@pyairtable/auth-subgraph/config';
import { defined } from '../support/defined.js';
import { startGraph } from '../support/graph.js';
import { graphql, uniqueEmail } from '../support/client.js';

describe('configuration', () => {
  it('names every problem at once and refuses to start', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'subgraphs/auth/src/main.ts'], {
      env: { PATH: process.env['PATH'], NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'mysql://nope', BCRYPT_COST: '99' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    for (const setting of ['PORT', 'DATABASE_URL', 'BCRYPT_COST', 'REDIS_URL', 'ROUTER_SHARED_SECRET', 'JWT_KEYS']) {
      expect(result.stderr).toContain(setting);
    }
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('never makes a signing key outside development', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://x/y',
      REDIS_URL: 'redis://x',
      ROUTER_SHARED_SECRET: randomBytes(32).toString('hex'),
    };
    expect(() => loadAuthConfig(env)).toThrow(ConfigError);
    expect(() => loadAuthConfig({ ...env, NODE_ENV: 'development' })).not.toThrow();
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    const graph = await startGraph({ BCRYPT_COST: '12' });
    const authServer = defined(graph.services.auth.httpServer, 'the auth subgraph listening');
    // Closing starts once the register has reached auth (bcrypt at cost 12 then keeps it busy), not after a guessed delay.
    const reachedAuth = once(authServer, 'request');
    const inFlight = graphql(graph.routerUrl, 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email: uniqueEmail('shutdown'), password: 'long enough password' },
    });
    await reachedAuth;
    const closing = graph.close();
    const response = await inFlight;
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toHaveProperty('register.accessToken');
    await closing;
    await expect(fetch(`${graph.routerUrl}/live`)).rejects.toThrow();
  });
});
