// npm run bench:start — seconds from starting the local graph (what `npm start` runs, embedded mode) to
// the first answered query, on a fresh data folder and on a restart, against a bare `node` run measured in
// the same minute. The program is started with node itself, as `npm start` execs it, without npm's own start-up.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSamples, percentile } from './stats.js';

const PORT = Number(process.env['BENCH_PORT'] ?? 18_100);
const root = new URL('../..', import.meta.url).pathname;

async function firstAnswer(started: number): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// npm start's program: the compiled local graph (compiling first if a source changed since the last build).
const LOCAL_GRAPH = ['local-graph/start.mjs'];

async function timedStart(env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, LOCAL_GRAPH, { cwd: root, env, stdio: 'ignore' });
  const elapsed = await firstAnswer(started);
  child.kill('SIGTERM');
  await once(child, 'exit');
  return elapsed;
}

async function timedBareNode(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - started;
}

const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
const fresh: number[] = [];
const restart: number[] = [];
const bareNode: number[] = [];
for (let run = 0; run < 3; run += 1) {
  const dataDir = await mkdtemp(join(tmpdir(), 'pyairtable-bench-start-'));
  const env = { ...inherited, DATA_DIR: dataDir, PORT: String(PORT), AUTH_PORT: '0', USERS_PORT: '0', WORKSPACES_PORT: '0', LOG_LEVEL: 'warn' };
  fresh.push(await timedStart(env));
  restart.push(await timedStart(env));
  bareNode.push(await timedBareNode());
  await rm(dataDir, { recursive: true, force: true });
}
console.log(describeSamples('bare `node -e ""` start and exit (baseline)', bareNode));
console.log(describeSamples('local graph, fresh data folder, to the first answered query', fresh));
console.log(describeSamples('local graph, existing data folder (restart)', restart));
console.log(
  `  fresh start = ${(percentile(fresh, 0.5) / 1000).toFixed(1)} s at p50 (${(percentile(fresh, 0.5) / percentile(bareNode, 0.5)).toFixed(0)}× a bare node start)`,
);
