// npm run bench:gateway — our router against GraphQL Hive Gateway (stock, and with its in-flight deduplication
// off) on the same supergraph, in front of the same three subgraphs, each a production process of its own
// (compiled, NODE_ENV=production). Hive does the same identity work through a small plugin
// (scripts/bench/gateway/hive-gateway.config.mjs). Load comes from autocannon in alternating rounds, so a slow
// minute of a shared machine falls on every gateway alike; compare the ratios of one run, not figures across runs.
//
//   npm run bench:gateway                 3 rounds of 10 s per workload and gateway (about 12 minutes)
//   npm run bench:gateway -- --quick      3 rounds of 2 s, 20 connections only (under 2 minutes)
//   npm run bench:gateway -- --smoke      1 round of 0.5 s: checks that everything runs (the CI test)
//   --only=ours,hive,hive-no-dedup        which gateways; --workloads=W3,W4 which workloads; --rounds=N how many rounds
//                                         (a ratio near a target deserves more); --profile=router|auth|users|workspaces writes a CPU
//                                         profile (node --cpu-prof) of that process into --profile-dir (.data/profiles)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signRouterCredential } from '@pyairtable/common/identity';
import { SUBGRAPHS, subgraphUrlSetting, type SubgraphName } from '@pyairtable/common/subgraphs';
import { randomClientIp, register, type AuthPayload } from '../../tests/support/client.js';
import { defined } from '../../tests/support/defined.js';
import { testEnvironment } from '../../tests/support/graph.js';
import { startSmtpSink } from '../../tests/support/smtp-sink.js';
import { REFERENCE_DIRECT_P50_MS, judgeTargets, machineScale, type GatewayName } from './gateway/targets.js';
import { fixed, inBatches, percentile } from './stats.js';
import { withTestDatabase } from './with-test-graph.js';

const root = new URL('../..', import.meta.url).pathname;

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    workloads: { type: 'string' },
    rounds: { type: 'string' },
    profile: { type: 'string' },
    'profile-dir': { type: 'string', default: join(root, '.data/profiles') },
  },
});

interface Plan {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number[];
  latencySamples: number;
}
const basePlan: Plan = options.smoke
  ? { rounds: 1, seconds: 0.5, warmupSeconds: 0.3, connections: [2], latencySamples: 10 }
  : options.quick
    ? { rounds: 3, seconds: 2, warmupSeconds: 1, connections: [20], latencySamples: 200 }
    : { rounds: 3, seconds: 10, warmupSeconds: 3, connections: [20, 50], latencySamples: 1000 };
const rounds = options.rounds === undefined ? basePlan.rounds : Number(options.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number from 1, not "${options.rounds ?? ''}"`);
const plan: Plan = { ...basePlan, rounds };
const WORKLOAD_NAMES = ['W1', 'W2', 'W3', 'W4'];
// Checked before anything starts: a misspelt name would otherwise surface after the services and the seeding.
const chosenWorkloads = options.workloads?.split(',') ?? WORKLOAD_NAMES;
const unknownWorkloads = chosenWorkloads.filter((name) => !WORKLOAD_NAMES.includes(name));
if (unknownWorkloads.length > 0) throw new Error(`--workloads takes ${WORKLOAD_NAMES.join(', ')}, not ${unknownWorkloads.join(', ')}`);

const Q1 = '{ me { id email displayName } }';
const Q2 =
  '{ workspaces(first: 5) { nodes { id name owner { id email displayName } members(first: 5) { nodes { role user { id email displayName } } } } } }';
/** Answered by the users subgraph alone: one subgraph fetch, for the latency each gateway adds. */
const ONE_FETCH = '{ me { id displayName } }';

const GATEWAY_LABELS: Record<GatewayName, string> = { ours: 'ours', hive: 'Hive stock', 'hive-no-dedup': 'Hive, dedup off' };

interface Service {
  name: string;
  url: string;
  child: ChildProcess;
}

/** A free TCP port of 127.0.0.1 (the services take their port from settings, so it is chosen here). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitUntilAnswering(url: string, child: ChildProcess, name: string, logFile: string): Promise<void> {
  const output = async () => (await readFile(logFile, 'utf8')).slice(-20_000);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${await output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer ${url} within 120 s:\n${await output()}`);
}

/** Starts `node <args>` with its output in `<logDir>/<name>.log` (read back to explain a failed start), and waits for `readyPath`. */
async function startNode(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  logDir: string,
): Promise<Service> {
  const profiling = options.profile === name ? ['--cpu-prof', '--cpu-prof-dir', options['profile-dir']] : [];
  const logFile = join(logDir, `${name}.log`);
  const log = await open(logFile, 'w');
  const child = spawn(process.execPath, [...profiling, ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', log.fd, log.fd],
  });
  await log.close();
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}${readyPath}`, child, name, logFile);
  return { name, url, child };
}

async function stop(service: Service): Promise<void> {
  if (service.child.exitCode !== null) return;
  service.child.kill('SIGTERM');
  await once(service.child, 'exit');
}

/** CPU time (user + system, ms) and resident memory (MB) of a process, from /proc. */
async function processUsage(pid: number): Promise<{ cpuMs: number; rssMb: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5) (utime, stime) are the 12th and 13th after the command name, in clock ticks (100 Hz on Linux).
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: ticks * 10, rssMb: rssKb / 1024 };
}

/** GraphQL requests a subgraph has answered (graphql_requests_total over every label). */
async function subgraphRequests(service: Service): Promise<number> {
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  let total = 0;
  for (const match of metrics.matchAll(/^graphql_requests_total\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
  return total;
}

async function mustSucceed<TData>(routerUrl: string, query: string, variables: Record<string, unknown>, token: string): Promise<TData> {
  const response = await fetch(`${routerUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': randomClientIp() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: TData; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

interface Seeded {
  /** W1 and W2: the owner of 5 workspaces of 5 members each. */
  owner: AuthPayload;
  /** W3: 200 users, each a member of one workspace of 5. */
  crowd: AuthPayload[];
  /** W4: the users whose profiles and workspaces the write mix changes. */
  writers: AuthPayload[];
}

/** Registers everyone and builds their workspaces through the router, as clients would. */
async function seed(routerUrl: string): Promise<Seeded> {
  const registerMany = async (count: number) => {
    const accounts: AuthPayload[] = [];
    await inBatches(
      Array.from({ length: count }, (_, index) => index),
      8,
      async () => void accounts.push(await register(routerUrl)),
    );
    return accounts;
  };
  const owner = await register(routerUrl);
  const colleagues = await registerMany(4);
  const crowd = await registerMany(options.smoke ? 20 : 200);
  const writers = await registerMany(options.smoke ? 5 : 50);
  const workspaceOf = async (workspaceOwner: AuthPayload, name: string, members: AuthPayload[]) => {
    const { createWorkspace } = await mustSucceed<{ createWorkspace: { id: string } }>(
      routerUrl,
      'mutation ($name: String!) { createWorkspace(input: { name: $name }) { id } }',
      { name },
      workspaceOwner.accessToken,
    );
    for (const member of members) {
      await mustSucceed(
        routerUrl,
        'mutation ($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e, role: EDITOR) { role } }',
        { w: createWorkspace.id, e: member.user.email },
        workspaceOwner.accessToken,
      );
    }
  };
  for (let index = 0; index < 5; index += 1) await workspaceOf(owner, `Team ${index}`, colleagues);
  const groups = Array.from({ length: crowd.length / 5 }, (_, index) => crowd.slice(index * 5, index * 5 + 5));
  await inBatches(groups, 4, ([groupOwner, ...members]) => workspaceOf(defined(groupOwner, 'a group owner'), 'Crowd', members));
  return { owner, crowd, writers };
}

interface Workload {
  name: string;
  describe: string;
  connections: number;
  /** The next request's body and token. */
  next: () => { body: string; token: string };
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

function workloads(seeded: Seeded): Workload[] {
  const q1 = JSON.stringify({ query: Q1 });
  const q2 = JSON.stringify({ query: Q2 });
  const all: Workload[] = [];
  for (const connections of plan.connections) {
    all.push({ name: 'W1', describe: 'Q1 (me), one user', connections, next: () => ({ body: q1, token: seeded.owner.accessToken }) });
    all.push({
      name: 'W2',
      describe: 'Q2 (workspaces × members), one user',
      connections,
      next: () => ({ body: q2, token: seeded.owner.accessToken }),
    });
  }
  const connections = plan.connections[plan.connections.length - 1] ?? 20;
  all.push({
    name: 'W3',
    describe: `Q1 and Q2 by ${seeded.crowd.length} users`,
    connections,
    next: () => ({ body: Math.random() < 0.5 ? q1 : q2, token: pick(seeded.crowd).accessToken }),
  });
  let writes = 0;
  all.push({
    name: 'W4',
    describe: 'updateMe and createWorkspace',
    connections: plan.connections[0] ?? 20,
    next: () => {
      writes += 1;
      const body =
        writes % 2 === 0
          ? {
              query: 'mutation ($input: UpdateProfileInput!) { updateMe(input: $input) { id displayName } }',
              variables: { input: { displayName: `Writer ${writes}` } },
            }
          : {
              query: 'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { id name } }',
              variables: { input: { name: `Load ${writes}` } },
            };
      return { body: JSON.stringify(body), token: pick(seeded.writers).accessToken };
    },
  });
  return all;
}

interface Measurement {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  gatewayCpuMs: number;
  subgraphFetches: number;
  subgraphCpuMs: number;
  rssMb: number;
}

async function load(url: string, workload: Workload, seconds: number): Promise<{ result: autocannon.Result; graphqlErrors: number }> {
  let graphqlErrors = 0;
  const result = await autocannon({
    url: `${url}/graphql`,
    connections: workload.connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, token } = workload.next();
          return { ...request, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } };
        },
        onResponse: (_status, body) => {
          if (body.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ],
  });
  return { result, graphqlErrors };
}

/** CPU ms per second the subgraphs use with no load (background polling), subtracted from each measurement. */
let idleSubgraphCpuPerSecond = 0;

async function measureIdleSubgraphs(subgraphs: Service[]): Promise<void> {
  const pids = subgraphs.map(({ child }) => child.pid ?? 0);
  const total = async () => (await Promise.all(pids.map(processUsage))).reduce((sum, { cpuMs }) => sum + cpuMs, 0);
  const before = await total();
  const seconds = options.smoke ? 1 : 5;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  idleSubgraphCpuPerSecond = ((await total()) - before) / seconds;
}

async function measure(gateway: Service, subgraphs: Service[], workload: Workload): Promise<Measurement> {
  const pids = subgraphs.map(({ child }) => child.pid ?? 0);
  const gatewayBefore = await processUsage(gateway.child.pid ?? 0);
  const subgraphCpuBefore = await Promise.all(pids.map(processUsage));
  const fetchesBefore = await Promise.all(subgraphs.map(subgraphRequests));
  const { result, graphqlErrors } = await load(gateway.url, workload, plan.seconds);
  const gatewayAfter = await processUsage(gateway.child.pid ?? 0);
  const subgraphCpuAfter = await Promise.all(pids.map(processUsage));
  const fetchesAfter = await Promise.all(subgraphs.map(subgraphRequests));
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + graphqlErrors,
    gatewayCpuMs: gatewayAfter.cpuMs - gatewayBefore.cpuMs,
    subgraphFetches: sum(fetchesAfter) - sum(fetchesBefore),
    // Less what the subgraphs spend idle (relays and event consumers polling), measured before the load.
    subgraphCpuMs: Math.max(
      0,
      sum(subgraphCpuAfter.map(({ cpuMs }) => cpuMs)) - sum(subgraphCpuBefore.map(({ cpuMs }) => cpuMs)) - idleSubgraphCpuPerSecond * result.duration,
    ),
    rssMb: gatewayAfter.rssMb,
  };
}

/** Where one request at a time of the one-fetch query goes: a gateway, or straight to the users subgraph. */
interface LatencyTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** Latency samples are taken in this many alternating rounds, so a slow minute falls on every target alike. */
const LATENCY_ROUNDS = 5;

/** p50 ms of one request at a time (one connection, keep-alive) of `body` for each target, its samples taken in alternating rounds. */
async function sequentialP50s(targets: LatencyTarget[], body: string): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(targets.map(({ name }) => [name, []]));
  const request = async ({ url, headers }: LatencyTarget) => {
    const started = performance.now();
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await response.text();
    return performance.now() - started;
  };
  for (const target of targets) for (let warmup = 0; warmup < 20; warmup += 1) await request(target);
  const perRound = Math.max(1, Math.ceil(plan.latencySamples / LATENCY_ROUNDS));
  for (let round = 0; round < LATENCY_ROUNDS; round += 1) {
    const rotated = [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)];
    for (const target of rotated) for (let index = 0; index < perRound; index += 1) samples.get(target.name)?.push(await request(target));
  }
  return new Map([...samples].map(([name, taken]) => [name, percentile(taken, 0.5)]));
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function summarize(runs: Measurement[]) {
  const sum = (pick: (run: Measurement) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const requests = sum((run) => run.requests);
  return {
    requestsPerSecond: median(runs.map((run) => run.requests / run.seconds)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    errors: sum((run) => run.errors),
    gatewayCpuPerRequest: sum((run) => run.gatewayCpuMs) / requests,
    fetchesPerRequest: sum((run) => run.subgraphFetches) / requests,
    subgraphCpuPerRequest: sum((run) => run.subgraphCpuMs) / requests,
    subgraphCpuPerFetch: sum((run) => run.subgraphCpuMs) / sum((run) => run.subgraphFetches),
    rssMb: Math.max(...runs.map((run) => run.rssMb)),
  };
}

async function main(): Promise<void> {
  const build = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-b'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`tsc -b failed:\n${build.stdout}${build.stderr}`);
  const gatewayNames = (options.only?.split(',') ?? ['ours', 'hive', 'hive-no-dedup']) as GatewayName[];

  const mail = await startSmtpSink();
  const workDir = await mkdtemp(join(tmpdir(), 'pyairtable-bench-gateway-'));
  const services: Service[] = [];
  try {
    // The tests' settings, but with the relays' production polling intervals (the tests' are fast) and long-lived tokens.
    const env = await testEnvironment({
      MAIL_POLL_INTERVAL_MS: '1000',
      MAIL_RETRY_INITIAL_MS: '1000',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      SMTP_URL: mail.url,
      DATABASE_POOL_SIZE: '10',
      ACCESS_TOKEN_TTL_SECONDS: '7200',
    });
    const subgraphs: Service[] = [];
    const subgraphUrls = {} as Record<SubgraphName, string>;
    for (const { name } of SUBGRAPHS) {
      const port = await freePort();
      const service = await startNode(name, [`subgraphs/${name}/dist/main.js`], { ...env, PORT: String(port) }, port, '/ready', workDir);
      services.push(service);
      subgraphs.push(service);
      subgraphUrls[name] = `${service.url}/graphql`;
    }
    const routerPort = await freePort();
    const routerEnv: Record<string, string> = { ...env, PORT: String(routerPort), RATE_LIMIT_PER_MINUTE: '100000000', TRUST_PROXY: 'loopback' };
    for (const { name } of SUBGRAPHS) routerEnv[subgraphUrlSetting(name)] = subgraphUrls[name];
    const gateways = new Map<GatewayName, Service>();
    // Started as the Dockerfile's router image starts it.
    const ours = await startNode('router', ['--max-semi-space-size=16', 'router/dist/main.js'], routerEnv, routerPort, '/ready', workDir);
    services.push(ours);
    if (gatewayNames.includes('ours')) gateways.set('ours', ours);

    let supergraph = await readFile(join(root, 'supergraph.graphql'), 'utf8');
    for (const { name } of SUBGRAPHS) {
      supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*`), `$1${subgraphUrls[name]}`);
    }
    const supergraphFile = join(workDir, 'supergraph.graphql');
    await writeFile(supergraphFile, supergraph);
    const hiveEnv = {
      NODE_ENV: 'production',
      BENCH_JWKS_URL: `${subgraphs[0]?.url ?? ''}/.well-known/jwks.json`,
      BENCH_REVOCATION_FEED_URL: `${subgraphs[0]?.url ?? ''}/internal/revocations`,
      BENCH_REDIS_URL: env['REDIS_URL'] ?? '',
      BENCH_REDIS_KEY_PREFIX: env['REDIS_KEY_PREFIX'] ?? '',
      BENCH_ROUTER_SHARED_SECRET: env['ROUTER_SHARED_SECRET'] ?? '',
      BENCH_JWT_ISSUER: 'pyairtable-auth',
      BENCH_JWT_AUDIENCE: 'pyairtable-graph',
    };
    for (const [name, dedup] of [
      ['hive', 'on'],
      ['hive-no-dedup', 'off'],
    ] as const) {
      if (!gatewayNames.includes(name)) continue;
      const port = await freePort();
      const hiveArgs = [
        'node_modules/@graphql-hive/gateway/dist/bin.js',
        'supergraph',
        supergraphFile,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--fork',
        '1',
        '--config-path',
        'scripts/bench/gateway/hive-gateway.config.mjs',
      ];
      const hive = await startNode(name, hiveArgs, { ...hiveEnv, BENCH_HIVE_DEDUP: dedup }, port, '/readiness', workDir);
      services.push(hive);
      gateways.set(name, hive);
    }

    const seedStarted = performance.now();
    const seeded = await seed(ours.url);
    console.log(
      `seeded ${seeded.crowd.length + seeded.writers.length + 5} users and their workspaces through our router in ${fixed((performance.now() - seedStarted) / 1000)} s`,
    );

    const order = [...gateways.keys()];
    const all = workloads(seeded).filter((workload) => chosenWorkloads.includes(workload.name));
    const results = new Map<string, Measurement[]>();
    const key = (workload: Workload, gateway: GatewayName) => `${workload.name}@${workload.connections}|${gateway}`;
    for (const workload of all) {
      for (const gateway of order) await load(defined(gateways.get(gateway), gateway).url, workload, plan.warmupSeconds);
    }
    await measureIdleSubgraphs(subgraphs);
    console.log(`the subgraphs use ${fixed(idleSubgraphCpuPerSecond)} ms of CPU per second idle (subtracted from their figures below)`);
    for (let round = 0; round < plan.rounds; round += 1) {
      // Each round starts with a different gateway, so none is always the one that follows a write-heavy run.
      const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
      for (const workload of all) {
        for (const gateway of rotated) {
          const measurement = await measure(defined(gateways.get(gateway), gateway), subgraphs, workload);
          results.set(key(workload, gateway), [...(results.get(key(workload, gateway)) ?? []), measurement]);
        }
      }
      console.log(`round ${round + 1} of ${plan.rounds} done`);
    }

    // Latency at one connection: one request at a time of a one-fetch query, straight to the users subgraph (with a
    // router credential signed here) and through each gateway.
    const token = seeded.owner.accessToken;
    const body = JSON.stringify({ query: ONE_FETCH });
    const users = defined(
      subgraphs.find((service) => service.name === 'users'),
      'the users subgraph',
    );
    const identityCredential = await signRouterCredential(env['ROUTER_SHARED_SECRET'] ?? '', {
      identity: {
        userId: seeded.owner.user.id,
        email: seeded.owner.user.email,
        role: 'USER',
        sessionId: 'bench',
        tokenExpiresAt: Math.floor(Date.now() / 1000) + 3600,
      },
      clientIp: '127.0.0.1',
      userAgent: null,
    });
    const straight = 'straight to the users subgraph';
    const p50s = await sequentialP50s(
      [
        { name: straight, url: users.url, headers: { 'x-router-credential': identityCredential } },
        ...order.map((gateway) => ({
          name: gateway,
          url: defined(gateways.get(gateway), gateway).url,
          headers: { authorization: `Bearer ${token}` },
        })),
      ],
      body,
    );
    const direct = p50s.get(straight) ?? Number.NaN;
    const latency = new Map<GatewayName, number>(order.map((gateway) => [gateway, p50s.get(gateway) ?? Number.NaN]));

    const rows: string[][] = [];
    const summaries = new Map<string, ReturnType<typeof summarize>>();
    for (const workload of all) {
      for (const gateway of order) {
        const summary = summarize(results.get(key(workload, gateway)) ?? []);
        summaries.set(key(workload, gateway), summary);
        rows.push([
          `${workload.name}, ${workload.connections}`,
          GATEWAY_LABELS[gateway],
          fixed(summary.requestsPerSecond, 0),
          fixed(summary.p50),
          fixed(summary.p99),
          String(summary.errors),
          fixed(summary.gatewayCpuPerRequest, 2),
          fixed(summary.fetchesPerRequest, 2),
          fixed(summary.subgraphCpuPerRequest, 2),
          fixed(summary.subgraphCpuPerFetch, 2),
          fixed(summary.rssMb, 0),
        ]);
      }
    }
    console.log(`\n${plan.rounds} round(s) of ${plan.seconds} s per workload and gateway; req/s, p50 and p99 are the rounds' medians.`);
    for (const [name, describe] of new Map(all.map((workload) => [workload.name, workload.describe]))) console.log(`  ${name}: ${describe}`);
    printTable(
      [
        'workload, connections',
        'gateway',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'gateway CPU ms/req',
        'subgraph fetches/req',
        'subgraph CPU ms/req',
        'subgraph CPU ms/fetch',
        'gateway RSS MB',
      ],
      rows,
    );

    if (gateways.has('ours') && gateways.size > 1) {
      const ratioRows: string[][] = [];
      for (const workload of all) {
        const oursSummary = summaries.get(key(workload, 'ours'));
        if (!oursSummary) continue;
        const against = (gateway: GatewayName, pickFigure: (summary: ReturnType<typeof summarize>) => number) => {
          const other = summaries.get(key(workload, gateway));
          return other ? fixed(pickFigure(oursSummary) / pickFigure(other), 2) : '–';
        };
        ratioRows.push([
          `${workload.name}, ${workload.connections}`,
          against('hive', (summary) => summary.requestsPerSecond),
          against('hive-no-dedup', (summary) => summary.requestsPerSecond),
          against('hive', (summary) => summary.gatewayCpuPerRequest),
          against('hive-no-dedup', (summary) => summary.gatewayCpuPerRequest),
        ]);
      }
      console.log('\nRatios, ours ÷ Hive (req/s: higher is better for ours; CPU per request: lower is better for ours)');
      printTable(['workload, connections', 'req/s ÷ stock', 'req/s ÷ dedup off', 'CPU/req ÷ stock', 'CPU/req ÷ dedup off'], ratioRows);
    }

    console.log(
      `\nOne request at a time, one-fetch query ${ONE_FETCH}, in ${LATENCY_ROUNDS} alternating rounds: p50 straight to the users subgraph ${fixed(direct, 2)} ms`,
    );
    printTable(
      ['gateway', 'p50 ms', 'added by the gateway, ms'],
      order.map((gateway) => [
        GATEWAY_LABELS[gateway],
        fixed(latency.get(gateway) ?? Number.NaN, 2),
        fixed((latency.get(gateway) ?? Number.NaN) - direct, 2),
      ]),
    );

    console.log(
      `\nThe issue's targets in this run. Millisecond targets are scaled by this machine's speed: ${fixed(direct, 2)} ms straight to the users subgraph ÷ ${REFERENCE_DIRECT_P50_MS} ms on the issue's machine = ${fixed(machineScale(direct), 2)} (scripts/bench/gateway/targets.ts says why).`,
    );
    const judged = judgeTargets({
      summaries: all.flatMap((workload) =>
        order.flatMap((gateway) => {
          const summary = summaries.get(key(workload, gateway));
          return summary ? [{ workload: workload.name, connections: workload.connections, gateway, summary }] : [];
        }),
      ),
      directP50: direct,
      gatewayP50: Object.fromEntries(latency),
    });
    printTable(
      ['target', 'this run', 'bound', 'met'],
      judged.map(({ target, measured, bound, met }) => [target, measured, bound, met === undefined ? 'not measured' : met ? 'yes' : 'NO']),
    );
  } finally {
    for (const service of services.reverse()) await stop(service);
    await mail.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  if (options.profile) console.log(`\nCPU profile of ${options.profile} written to ${options['profile-dir']}`);
}

function printTable(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

if (options.profile) await mkdir(options['profile-dir'], { recursive: true });
await withTestDatabase(main);
