import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, login, register, uniqueEmail } from '../support/client.js';
import { runDatabaseUrl, runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { startLocalGraphProcess } from '../support/local-graph.js';

/** Starts `npm start`'s program as its own process and waits for its "is up" log line. */
async function startLocalGraph(env: Record<string, string>) {
  const started = await startLocalGraphProcess(env);
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

const repoRoot = new URL('../..', import.meta.url).pathname;

/** The environment `npm start` gets here: free ports, a data folder, no real servers. */
function npmStartEnv(dataDir: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  return { ...inherited, DATA_DIR: dataDir, PORT: '0', AUTH_PORT: '0', USERS_PORT: '0', WORKSPACES_PORT: '0', LOG_LEVEL: 'info', ...env };
}

/** Every process under `pid`, from ps: what must be gone once `npm start` has stopped. */
function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, childParent] of table) {
      if (childParent === parent) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port some other process holds for the duration of a test. */
async function occupiedPort(): Promise<{ port: number; release(): Promise<void> }> {
  const holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  return { port: (holder.address() as AddressInfo).port, release: () => new Promise((closed) => holder.close(() => closed())) };
}

describe('npm start, the command itself', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pyairtable-npm-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'answers, names GraphiQL, the landing page and Sandbox in its log, and %s to npm stops every process it started',
    async (signal) => {
      const npm = spawn('npm', ['start'], { cwd: repoRoot, env: npmStartEnv(dataDir) });
      try {
        await upAnswersAndStopsOn(npm, signal);
      } finally {
        // Whatever failed above, nothing of it may outlive the test.
        for (const pid of [...descendantsOf(npm.pid ?? 0), npm.pid ?? 0]) if (pid && isRunning(pid)) process.kill(pid, 'SIGKILL');
      }
    },
    180_000,
  );

  async function upAnswersAndStopsOn(npm: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<void> {
    let output = '';
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const announcement = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not up within 120 s:\n${output}`)), 120_000);
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const up = output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => typeof line['graphql'] === 'string');
        if (up) {
          clearTimeout(timer);
          resolve(up);
        }
      });
      npm.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${String(code)} before it was up:\n${output}`));
      });
    });
    const routerUrl = String(announcement['graphql']).replace(/\/graphql$/, '');
    expect(announcement).toMatchObject({ home: `${routerUrl}/`, graphiql: `${routerUrl}/graphiql`, restDocs: `${routerUrl}/api/v1/docs` });
    expect(announcement['msg']).toEqual(expect.stringContaining(`${routerUrl}/graphiql`));
    expect(announcement['msg']).toEqual(expect.stringContaining('Sandbox'));
    const answer = await fetch(`${routerUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status).toBe(200);

    const started = descendantsOf(npm.pid ?? 0);
    expect(started.length).toBeGreaterThan(0);
    npm.kill(signal);
    await once(npm, 'exit');
    // The graph closes gracefully (pools, PGlite) before its process ends: give it a moment on a busy machine.
    const deadline = Date.now() + 15_000;
    while (started.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started.filter(isRunning)).toEqual([]);
    await expect(fetch(`${routerUrl}/health`)).rejects.toThrow();
  }

  it.each([
    ['PORT', (port: number) => ({ PORT: String(port) })],
    ['AUTH_PORT', (port: number) => ({ AUTH_PORT: String(port) })],
  ] as const)(
    'names the port and its setting (%s) in one line when the port is taken, and exits 1',
    async (setting, settings) => {
      const taken = await occupiedPort();
      try {
        const npm = spawn('npm', ['start'], { cwd: repoRoot, env: npmStartEnv(dataDir, { ...settings(taken.port), LOG_LEVEL: 'warn' }) });
        let stderr = '';
        npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        npm.stdout.resume();
        const [code] = (await once(npm, 'exit')) as [number | null];
        expect(code).toBe(1);
        const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm '));
        expect(lines).toEqual([
          `port ${taken.port} on 127.0.0.1 is already in use: stop what listens there, or set ${setting} to another port (${setting}=0 picks a free one)`,
        ]);
        expect(stderr).not.toContain('EADDRINUSE');
      } finally {
        await taken.release();
      }
    },
    180_000,
  );
});
