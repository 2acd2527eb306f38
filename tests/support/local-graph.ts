/** `npm start`'s program as a process of its own, for the tests that meet the graph as a newcomer does. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { SUBGRAPHS } from '@pyairtable/common/subgraphs';
import { startProcess, type ServiceProcess } from './processes.js';

/**
 * Starts what `npm start` runs (local-graph/start.mjs: the compiled graph, built first when a source changed) with
 * every port picked free and waits for its "is up" log line; `url` is the
 * router's. The tests' own DATABASE_URL, REDIS_URL, SMTP_URL and PUBLIC_APP_URL are not passed on: it runs
 * embedded, in development, with mail caught, unless `env` says otherwise.
 */
export function startLocalGraphProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const { DATABASE_URL: _database, REDIS_URL: _redis, SMTP_URL: _smtp, PUBLIC_APP_URL: _app, ...inherited } = process.env;
  const ports = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_PORT`, '0']));
  return startProcess('local-graph/start.mjs', { ...inherited, ...ports, PORT: '0', LOG_LEVEL: 'info', ...env }, ({ graphql: url }) =>
    typeof url === 'string' ? url.replace(/\/graphql$/, '') : undefined,
  );
}

/**
 * Registers a beforeAll that starts `npm start`'s program on a new, empty data folder (startLocalGraphProcess) and an
 * afterAll that stops it and removes the folder, in the scope it is called in (hook order as with useGraph).
 */
export function useLocalGraphProcess(env: Record<string, string> = {}): Pick<ServiceProcess, 'url' | 'output'> {
  let dataDir: string | undefined;
  let started: ServiceProcess | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pyairtable-local-graph-'));
    started = await startLocalGraphProcess({ DATA_DIR: dataDir, ...env });
  });
  afterAll(async () => {
    await started?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    started = undefined;
  });
  const current = (): ServiceProcess => {
    if (!started) throw new Error('useLocalGraphProcess: the graph is read before its beforeAll started it (or it failed to start)');
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    output: () => current().output(),
  };
}
