// npm run soak -- --seconds 60 [--redis-restart] [--subgraph-restart] [--workers 6]
// A bounded soak against real processes (every subgraph and the router, each its own process, on a fresh database and
// a redis-server of its own): mixed load, optional faults mid-run, then the invariants, checked and printed. Exits 1
// when one does not hold.
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { SUBGRAPH_NAMES, subgraphUrlSetting, type SubgraphName } from '@pyairtable/common/subgraphs';
import pg from 'pg';
import { graphql, uniqueEmail, type GraphQLResponse } from '../../tests/support/client.js';
import { runDatabaseUrl } from '../../tests/support/environment.js';
import { testEnvironment } from '../../tests/support/graph.js';
import { freePort, startOwnRedis, type OwnRedis } from '../../tests/support/own-servers.js';
import { startServiceProcess, type ServiceProcess } from '../../tests/support/processes.js';
import { withTestDatabase } from '../bench/with-test-graph.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: '6' },
    'redis-restart': { type: 'boolean', default: false },
    'subgraph-restart': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const workers = Number(values.workers);
if (!Number.isInteger(seconds) || seconds < 5 || !Number.isInteger(workers) || workers < 1) {
  console.error('usage: npm run soak -- --seconds <≥5> [--workers <n>] [--redis-restart] [--subgraph-restart]');
  process.exit(1);
}

const PASSWORD = 'correct horse battery';
const DRAIN_TIMEOUT_MS = 60_000;

interface Account {
  id: string;
  email: string;
  token: string;
}
interface OwnedWorkspace {
  id: string;
  owner: Account;
  members: Account[];
}

/** Every answer, by action and outcome; 5xx and INTERNAL_SERVER_ERROR answers with whether a fault was on. */
const outcomes = new Map<string, number>();
const unexpected: string[] = [];
let faultActive = false;

function record(action: string, response: GraphQLResponse<unknown>, allowed: readonly string[] = []): void {
  const codes = (response.body.errors ?? []).map((error) => error.extensions?.['code']);
  const outcome = codes.length === 0 ? 'ok' : codes.map(String).join(',');
  outcomes.set(`${action} ${outcome}`, (outcomes.get(`${action} ${outcome}`) ?? 0) + 1);
  const serviceUnavailable = codes.length > 0 && codes.every((code) => code === 'SERVICE_UNAVAILABLE');
  const bad =
    codes.includes('INTERNAL_SERVER_ERROR') ||
    (response.status >= 500 && !serviceUnavailable) ||
    (serviceUnavailable && !faultActive) ||
    codes.some((code) => code !== 'SERVICE_UNAVAILABLE' && !allowed.includes(String(code)));
  if (bad) unexpected.push(`${action}: HTTP ${response.status} ${JSON.stringify(response.body.errors)} (fault ${faultActive ? 'on' : 'off'})`);
}

function pick<T>(items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[randomInt(items.length)];
}

async function main(): Promise<void> {
  const redis = await startOwnRedis();
  const env = await testEnvironment({
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    THROTTLE_REGISTER_PER_IP: '1000000/1m',
    THROTTLE_REGISTER_PER_EMAIL: '1000000/1m',
    THROTTLE_LOGIN_PER_IP: '1000000/1m',
    THROTTLE_LOGIN_PER_EMAIL: '1000000/1m',
  });
  const ports = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<
    SubgraphName,
    number
  >;
  const startSubgraph = (name: SubgraphName) =>
    startServiceProcess(`subgraphs/${name}/src/main.ts`, { ...env, PORT: String(ports[name]), EVENT_CONSUMER_NAME: `${name}-soak` });
  const subgraphs = {} as Record<SubgraphName, ServiceProcess>;
  for (const name of SUBGRAPH_NAMES) subgraphs[name] = await startSubgraph(name);
  const router = await startServiceProcess('router/src/main.ts', {
    ...env,
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlSetting(name), `http://127.0.0.1:${ports[name]}/graphql`])),
  });
  const url = router.url;

  const accounts: Account[] = [];
  const workspaces: OwnedWorkspace[] = [];
  const deadline = Date.now() + seconds * 1000;
  let requests = 0;

  const register = async (email = uniqueEmail('soak')) => {
    const response = await graphql<{ register: { accessToken: string; user: { id: string } } }>(
      url,
      'mutation ($email: String!, $password: String!) { register(input: { email: $email, password: $password, displayName: "Soak" }) { accessToken user { id } } }',
      { email, password: PASSWORD },
    );
    requests += 1;
    record('register', response, ['CONFLICT']);
    const payload = response.body.data?.register;
    if (payload) accounts.push({ id: payload.user.id, email, token: payload.accessToken });
    return response;
  };

  const actions: Array<[number, () => Promise<unknown>]> = [
    [20, () => register()],
    [
      8,
      // Two registrations of one email racing: one account, one CONFLICT.
      async () => {
        const email = uniqueEmail('race');
        await Promise.all([register(email), register(email)]);
      },
    ],
    [
      15,
      async () => {
        const account = pick(accounts);
        if (!account) return;
        const response = await graphql(url, 'mutation ($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }', {
          e: account.email,
          p: PASSWORD,
        });
        requests += 1;
        record('login', response);
      },
    ],
    [
      15,
      async () => {
        const account = pick(accounts);
        if (!account) return;
        const response = await graphql(url, '{ me { email displayName workspaces { totalCount } } }', {}, { token: account.token });
        requests += 1;
        record('me', response);
      },
    ],
    [
      10,
      async () => {
        const owner = pick(accounts);
        if (!owner) return;
        const response = await graphql<{ createWorkspace: { id: string } }>(
          url,
          'mutation { createWorkspace(input: { name: "Soak" }) { id } }',
          {},
          { token: owner.token },
        );
        requests += 1;
        record('createWorkspace', response);
        const id = response.body.data?.createWorkspace.id;
        if (id) workspaces.push({ id, owner, members: [] });
      },
    ],
    [
      15,
      async () => {
        const workspace = pick(workspaces);
        const member = pick(accounts);
        if (!workspace || !member || member === workspace.owner) return;
        const response = await graphql(
          url,
          'mutation ($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e, role: EDITOR) { role } }',
          { w: workspace.id, e: member.email },
          { token: workspace.owner.token },
        );
        requests += 1;
        // The owner may have changed through a transfer, and the member may be one already.
        record('addWorkspaceMember', response, ['CONFLICT', 'FORBIDDEN', 'NOT_FOUND']);
        if (!response.body.errors) workspace.members.push(member);
      },
    ],
    [
      7,
      async () => {
        const workspace = pick(workspaces);
        const member = workspace ? pick(workspace.members) : undefined;
        if (!workspace || !member) return;
        const response = await graphql(
          url,
          'mutation ($w: ID!, $u: ID!) { updateWorkspaceMemberRole(workspaceId: $w, userId: $u, role: VIEWER) { role } }',
          { w: workspace.id, u: member.id },
          { token: workspace.owner.token },
        );
        requests += 1;
        record('updateWorkspaceMemberRole', response, ['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT']);
      },
    ],
    [
      10,
      // Two transfers of one workspace racing, to two members: exactly one OWNER afterwards.
      async () => {
        const workspace = pick(workspaces.filter((candidate) => candidate.members.length >= 2));
        if (!workspace) return;
        const [first, second] = workspace.members.slice(-2);
        if (!first || !second) return;
        const transfer = (to: Account) =>
          graphql(
            url,
            'mutation ($w: ID!, $u: ID!) { transferWorkspaceOwnership(workspaceId: $w, userId: $u) { id } }',
            { w: workspace.id, u: to.id },
            { token: workspace.owner.token },
          );
        const answers = await Promise.all([transfer(first), transfer(second)]);
        requests += 2;
        for (const answer of answers) record('transferWorkspaceOwnership', answer, ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);
        const winner = answers.findIndex((answer) => !answer.body.errors);
        const newOwner = winner === 0 ? first : winner === 1 ? second : undefined;
        if (newOwner) {
          workspace.members = workspace.members.filter((member) => member !== newOwner).concat(workspace.owner);
          workspace.owner = newOwner;
        }
      },
    ],
  ];
  const totalWeight = actions.reduce((sum, [weight]) => sum + weight, 0);
  const chooseAction = () => {
    let roll = randomInt(totalWeight);
    for (const [weight, action] of actions) {
      if (roll < weight) return action;
      roll -= weight;
    }
    throw new Error('unreachable');
  };

  const faults: string[] = [];
  /** Processes killed mid-run, kept for their logs. */
  const retired: ServiceProcess[] = [];
  const injectFaults = async () => {
    const third = (seconds * 1000) / 3;
    if (values['redis-restart']) {
      await new Promise((resolve) => setTimeout(resolve, third));
      faultActive = true;
      faults.push(`redis killed at ${((Date.now() - (deadline - seconds * 1000)) / 1000).toFixed(1)} s, restarted empty 3 s later`);
      await restartRedis(redis);
      // Requests in flight when it came back may still fail.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      faultActive = false;
    }
    if (values['subgraph-restart']) {
      await new Promise((resolve) => setTimeout(resolve, values['redis-restart'] ? third - 5_000 : third * 2));
      faultActive = true;
      faults.push(`users subgraph killed (SIGKILL) at ${((Date.now() - (deadline - seconds * 1000)) / 1000).toFixed(1)} s and restarted`);
      retired.push(subgraphs.users);
      subgraphs.users.process.kill('SIGKILL');
      await once(subgraphs.users.process, 'exit');
      subgraphs.users = await startSubgraph('users');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      faultActive = false;
    }
  };

  const started = Date.now();
  const faultRun = injectFaults();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < deadline) {
        try {
          await chooseAction()();
        } catch (error) {
          unexpected.push(`client error: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  await faultRun;
  const loadSeconds = (Date.now() - started) / 1000;

  const drainStarted = Date.now();
  const invariants = await checkInvariants(redis, env['REDIS_KEY_PREFIX'] ?? '');
  const notJson = [router, ...Object.values(subgraphs), ...retired].flatMap((service) => nonJsonLines(service.output()));
  invariants.push({
    name: 'every log line is JSON (no raw "Unhandled error event")',
    holds: notJson.length === 0,
    detail: notJson.slice(0, 3).join(' | '),
  });
  const drainMs = Date.now() - drainStarted;

  const report = {
    seconds: Number(loadSeconds.toFixed(1)),
    workers,
    requests,
    requestsPerSecond: Number((requests / loadSeconds).toFixed(1)),
    accounts: accounts.length,
    workspaces: workspaces.length,
    faults,
    outcomes: Object.fromEntries([...outcomes].sort()),
    drainedWithinMs: drainMs,
    invariants: Object.fromEntries(invariants.map(({ name, holds, detail }) => [name, holds ? 'holds' : `FAILS: ${detail}`])),
    unexpectedAnswers: unexpected.slice(0, 20),
    unexpectedAnswerCount: unexpected.length,
  };
  console.log(JSON.stringify(report, null, 2));

  await router.stop();
  for (const name of SUBGRAPH_NAMES) await subgraphs[name].stop();
  await redis.stop();
  if (unexpected.length > 0 || invariants.some(({ holds }) => !holds)) process.exitCode = 1;
}

/** The lines of a process's output that are not JSON objects (every log line should be one). */
function nonJsonLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed !== 'object' || parsed === null;
      } catch {
        return true;
      }
    });
}

async function restartRedis(redis: OwnRedis): Promise<void> {
  await redis.kill();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await redis.start();
}

interface Invariant {
  name: string;
  holds: boolean;
  detail: string;
}

/** Waits (up to DRAIN_TIMEOUT_MS) for the backlogs to drain, then checks every invariant on the database. */
async function checkInvariants(redis: OwnRedis, keyPrefix: string): Promise<Invariant[]> {
  const database = new pg.Client({ connectionString: runDatabaseUrl() });
  await database.connect();
  const { Redis } = await import('ioredis');
  const streamClient = new Redis(redis.url);
  const count = async (sql: string) => Number((await database.query<{ count: string }>(sql)).rows[0]?.count);
  const backlog = async () => {
    const outbox =
      (await count('SELECT count(*) FROM pyairtable_auth.outbox_events WHERE published_at IS NULL')) +
      (await count('SELECT count(*) FROM pyairtable_workspaces.outbox_events WHERE published_at IS NULL'));
    const groups = (await streamClient.call('XINFO', ['GROUPS', `${keyPrefix}events:users`]).catch(() => [])) as unknown[];
    let stream = 0;
    for (const group of groups) {
      const fields = group as unknown[];
      for (let index = 0; index + 1 < fields.length; index += 2) {
        if (fields[index] === 'pending' || fields[index] === 'lag') stream += Number(fields[index + 1] ?? 0);
      }
    }
    const profiles = await count(
      'SELECT count(*) FROM pyairtable_auth.users a WHERE NOT EXISTS (SELECT 1 FROM pyairtable_users.profiles p WHERE p.id = a.id)',
    );
    const directory = await count(
      'SELECT count(*) FROM pyairtable_auth.users a WHERE NOT EXISTS (SELECT 1 FROM pyairtable_workspaces.directory_users d WHERE d.id = a.id)',
    );
    return { outbox, stream, profiles, directory };
  };
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let state = await backlog();
  while (Object.values(state).some((value) => value > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    state = await backlog();
  }
  const owners = await count(
    `SELECT count(*) FROM pyairtable_workspaces.workspaces w WHERE (SELECT count(*) FROM pyairtable_workspaces.memberships m WHERE m.workspace_id = w.id AND m.role = 'OWNER') <> 1`,
  );
  const duplicates = await count('SELECT count(*) FROM (SELECT lower(email) FROM pyairtable_auth.users GROUP BY lower(email) HAVING count(*) > 1) d');
  await streamClient.quit();
  await database.end();
  return [
    { name: 'every account has a profile', holds: state.profiles === 0, detail: `${state.profiles} without` },
    { name: 'every account has a directory entry', holds: state.directory === 0, detail: `${state.directory} without` },
    { name: 'one OWNER per workspace', holds: owners === 0, detail: `${owners} workspaces otherwise` },
    { name: 'no duplicate email', holds: duplicates === 0, detail: `${duplicates} emails twice` },
    { name: 'outbox drained', holds: state.outbox === 0, detail: `${state.outbox} unpublished` },
    { name: 'stream drained (nothing pending or unread)', holds: state.stream === 0, detail: `${state.stream} entries` },
    { name: 'no 5xx but SERVICE_UNAVAILABLE during faults', holds: unexpected.length === 0, detail: `${unexpected.length} answers` },
  ];
}

await withTestDatabase(main);
