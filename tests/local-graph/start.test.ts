import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, login, register, uniqueEmail } from '../support/client.js';
import { runDatabaseUrl, runRedisPrefix, runRedisUrl } from '../support/environment.js';

interface Started {
  process: ChildProcessWithoutNullStreams;
  routerUrl: string;
  mode: string;
  output: () => string;
}

/** Starts `npm start`'s program as its own process (node, not npm, so the PID is the server's). */
async function startLocalGraph(env: Record<string, string>): Promise<Started> {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', 'packages/local-graph/src/main.ts'], {
    env: { ...inherited, PORT: '0', AUTH_PORT: '0', USERS_PORT: '0', WORKSPACES_PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = new Promise<{ routerUrl: string; mode: string }>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as { graphql?: string; mode?: string };
        if (entry.graphql && entry.mode) resolve({ routerUrl: entry.graphql.replace(/\/graphql$/, ''), mode: entry.mode });
      }
    });
    child.once('exit', (code) => reject(new Error(`the local graph exited (${code}) before it was up:\n${output}`)));
  });
  const { routerUrl, mode } = await ready;
  return { process: child, routerUrl, mode, output: () => output };
}

async function stop(started: Started): Promise<number | null> {
  started.process.kill('SIGTERM');
  const [code] = (await once(started.process, 'exit')) as [number | null];
  return code;
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

    const federated = '{ me { displayName workspaces { nodes { name myRole owner { email displayName } members { nodes { role user { email } } } } } } }';
    const expected = {
      me: {
        displayName: 'Local Owner',
        workspaces: {
          nodes: [{ name: 'Local workspace', myRole: 'OWNER', owner: { email, displayName: 'Local Owner' }, members: { nodes: [{ role: 'OWNER', user: { email } }] } }],
        },
      },
    };
    expect((await graphql(first.routerUrl, federated, {}, { token: owner.accessToken })).body).toEqual({ data: expected });
    expect(await stop(first)).toBe(0);

    const second = await startLocalGraph({ DATA_DIR: dataDir });
    const signedIn = (await login(second.routerUrl, email, owner.password)).body.data?.login;
    expect(signedIn?.user.id).toBe(owner.user.id);
    expect((await graphql(second.routerUrl, federated, {}, { token: signedIn?.accessToken })).body).toEqual({ data: expected });
    expect(await stop(second)).toBe(0);
  });

  it('uses the real servers when DATABASE_URL and REDIS_URL are set', async () => {
    const started = await startLocalGraph({ DATA_DIR: dataDir, DATABASE_URL: runDatabaseUrl(), REDIS_URL: runRedisUrl(), REDIS_KEY_PREFIX: runRedisPrefix() });
    expect(started.mode).toBe('servers');
    const user = await register(started.routerUrl);
    expect((await graphql(started.routerUrl, '{ me { id } }', {}, { token: user.accessToken })).body).toEqual({ data: { me: { id: user.user.id } } });
    expect(await stop(started)).toBe(0);
  });

  it('refuses half a configuration, naming the missing setting', async () => {
    await expect(startLocalGraph({ DATA_DIR: dataDir, DATABASE_URL: runDatabaseUrl() })).rejects.toThrow(/REDIS_URL/);
  });
});
