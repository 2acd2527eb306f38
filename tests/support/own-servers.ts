/**
 * A Redis and a PostgreSQL of a test's own, on free ports of 127.0.0.1, which the test may stop, kill and restart:
 * the shared servers of the run are never touched. PostgreSQL's binaries come from /usr/lib/postgresql/<version>/bin;
 * run as root, they run as the postgres user (initdb refuses root).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { applyMigrations, pgTarget } from '@pyairtable/migrator';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

async function waitFor(what: string, attempt: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface OwnRedis {
  url: string;
  /** Stops it (SIGKILL: nothing is saved, it comes back empty). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (nothing when it runs). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server without persistence: a restart is a Redis that lost everything. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child?.exitCode === null) return;
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = started;
    await waitFor('redis-server', async () => {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
      } finally {
        probe.disconnect();
      }
    });
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running?.exitCode !== null) return;
    running.kill('SIGKILL');
    await once(running, 'exit');
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}

export interface OwnPostgres {
  /** The migrated database of the graph under test. */
  url: string;
  /** pg_ctl stop: 'fast' disconnects clients (they see admin shutdown), 'immediate' is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function postgresBin(name: string): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((left, right) => Number(right) - Number(left));
  if (versions.length === 0) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0] ?? '', 'bin', name);
}

/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
async function runPostgresTool(name: string, args: string[]): Promise<void> {
  const binary = await postgresBin(name);
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
  else await run(binary, args);
}

/** A PostgreSQL cluster in a temporary folder (initdb, trust authentication), migrated for the graph. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const directory = await mkdtemp(join(tmpdir(), 'pyairtable-fault-pg-'));
  const dataDirectory = join(directory, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(directory, Number(stdout.trim()), Number(group.trim()));
    await chmod(directory, 0o700);
  }
  const port = await freePort();
  await runPostgresTool('initdb', ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => {
    await runPostgresTool('pg_ctl', ['start', '-D', dataDirectory, '-o', options, '-l', join(directory, 'log'), '-w', '-t', '30']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await runPostgresTool('pg_ctl', ['stop', '-D', dataDirectory, '-m', mode, '-w', '-t', '30']);
  };
  await start();
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE pyairtable_faults');
  await admin.end();
  const url = `postgresql://postgres@127.0.0.1:${port}/pyairtable_faults`;
  await applyMigrations({ target: pgTarget(url), log: () => undefined });
  return {
    url,
    stop,
    start,
    destroy: async () => {
      await stop('immediate').catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
