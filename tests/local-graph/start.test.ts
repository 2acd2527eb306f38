import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, login, register, uniqueEmail } from '../support/client.js';
import { runDatabaseUrl, runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { startProcess } from '../support/processes.js';

/** Starts `npm start`'s program as its own process and waits for its "is up" log line. */
async function startLocalGraph(env: Record<string, string>) {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const started = await startProcess(
    'local-graph/src/main.ts',
    { ...inherited, PORT: '0', AUTH_PORT: '0', USERS_PORT: '0', WORKSPACES_PORT: '0', LOG_LEVEL: 'info', ...env },
    ({ graphql }) => (typeof graphql === 'string' ? graphql.replace(/\/graphql$/, '') : undefined),
  );
  return { ...started, routerUrl: started.url, mode: started.announcement['mode'] };
}

describe('npm start on a machine with only Node', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pyairtable-local-graph-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the whole graph on embedded stores, answers a federated query, and keeps the data across restarts', async () => {
    const first = await startLocalGraph({ DATA_DIR: dataDir });
    expect(first.mode).toBe('embedded');
    expect(first.output()).toContain('development mode: embedded PostgreSQL');

    const email = uniqueEmail('local');
    const owner = await register(first.routerUrl, { email, displayName: 'Local Owner' });
    const created = await graphql<{ createWorkspace: { id: string } }>(
      first.routerUrl,
      'mutation { createWorkspace(input: { name: "Local workspace" }) { id } }',
      {},
      { token: owner.accessToken },
    );
    expect(created.body.errors).toBeUndefined();

    const federated =
      '{ me { displayName workspaces { nodes { name myRole owner { email displayName } members { nodes { role user { email } } } } } } }';
    const expected = {
      me: {
        displayName: 'Local Owner',
        workspaces: {
          nodes: [
            {
              name: 'Local workspace',
              myRole: 'OWNER',
              owner: { email, displayName: 'Local Owner' },
              members: { nodes: [{ role: 'OWNER', user: { email } }] },
            },
          ],
        },
      },
    };
    expect((await graphql(first.routerUrl, federated, {}, { token: owner.accessToken })).body).toEqual({ data: expected });
    expect(await first.stop()).toBe(0);

    const second = await startLocalGraph({ DATA_DIR: dataDir });
    const signedIn = (await login(second.routerUrl, email, owner.password)).body.data?.login;
    expect(signedIn?.user.id).toBe(owner.user.id);
    expect((await graphql(second.routerUrl, federated, {}, { token: signedIn?.accessToken })).body).toEqual({ data: expected });
    expect(await second.stop()).toBe(0);
    // Two cold starts of a process that loads PGlite and compiles TypeScript on the fly: slow on a busy machine.
  }, 180_000);

  it('uses the real servers when DATABASE_URL and REDIS_URL are set', async () => {
    const started = await startLocalGraph({
      DATA_DIR: dataDir,
      DATABASE_URL: runDatabaseUrl(),
      REDIS_URL: runRedisUrl(),
      REDIS_KEY_PREFIX: runRedisPrefix(),
    });
    expect(started.mode).toBe('servers');
    const user = await register(started.routerUrl);
    expect((await graphql(started.routerUrl, '{ me { id } }', {}, { token: user.accessToken })).body).toEqual({ data: { me: { id: user.user.id } } });
    expect(await started.stop()).toBe(0);
  });

  it('refuses half a configuration, naming the missing setting', async () => {
    await expect(startLocalGraph({ DATA_DIR: dataDir, DATABASE_URL: runDatabaseUrl() })).rejects.toThrow(/REDIS_URL/);
  });
});
