import { spawn } from 'node:child_process';
import { SUBGRAPH_NAMES, subgraphUrlSetting, type SubgraphName } from '@pyairtable/common/subgraphs';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { testEnvironment } from '../support/graph.js';
import { errorCodes, graphql, login, randomClientIp, register } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { createIsolatedDatabase } from '../support/isolated-database.js';
import { runDatabaseUrl } from '../support/environment.js';
import { startServiceProcess, type ServiceProcess } from '../support/processes.js';
import { itemAt } from '../support/defined.js';

const SUBGRAPHS = SUBGRAPH_NAMES;
const ROUTER_RATE_LIMIT = 40;

/** Two replicas of every service as separate processes, on one Postgres and one Redis. */
let replicas: Array<{ router: ServiceProcess; subgraphs: Record<SubgraphName, ServiceProcess> }>;
let processes: ServiceProcess[] = [];

beforeAll(async () => {
  const env = await testEnvironment({ RATE_LIMIT_PER_MINUTE: String(ROUTER_RATE_LIMIT) });
  replicas = await Promise.all(
    [1, 2].map(async (replica) => {
      const started = await Promise.all(
        SUBGRAPHS.map((name) => startServiceProcess(`subgraphs/${name}/src/main.ts`, { ...env, EVENT_CONSUMER_NAME: `${name}-replica-${replica}` })),
      );
      const subgraphs = Object.fromEntries(SUBGRAPHS.map((name, index) => [name, itemAt(started, index, `the ${name} subgraph`)])) as Record<
        SubgraphName,
        ServiceProcess
      >;
      const router = await startServiceProcess('router/src/main.ts', {
        ...env,
        ...Object.fromEntries(SUBGRAPHS.map((name) => [subgraphUrlSetting(name), `${subgraphs[name].url}/graphql`])),
      });
      processes.push(...started, router);
      return { router, subgraphs };
    }),
  );
}, 180_000);

afterAll(async () => {
  const codes = await Promise.all(processes.map((service) => service.stop()));
  processes = [];
  expect(codes.every((code) => code === 0)).toBe(true);
});

const routerA = () => itemAt(replicas, 0, 'the first replica').router.url;
const routerB = () => itemAt(replicas, 1, 'the second replica').router.url;

async function accepted(routerUrl: string, token: string): Promise<boolean> {
  const response = await graphql(routerUrl, '{ me { id } }', {}, { token });
  return response.status === 200 && response.body.errors === undefined;
}

describe('two replicas of every service', () => {
  it('accept through one router a token issued through the other', async () => {
    const user = await register(routerA());
    expect(await accepted(routerB(), user.accessToken)).toBe(true);
    const viaB = (await login(routerB(), user.user.email, user.password)).body.data?.login;
    expect(await accepted(routerA(), viaB?.accessToken ?? '')).toBe(true);
  });

  it('refuse through one router, at once, a token logged out through the other', async () => {
    const user = await register(routerA());
    expect(await accepted(routerB(), user.accessToken)).toBe(true);
    const logout = await graphql(routerA(), 'mutation { logout }', {}, { token: user.accessToken });
    expect(logout.body.data).toEqual({ logout: true });
    expect(await accepted(routerB(), user.accessToken)).toBe(false);
  });

  it('count one client’s requests across both routers', async () => {
    const clientIp = randomClientIp();
    const answers = await Promise.all(
      Array.from({ length: ROUTER_RATE_LIMIT + 10 }, (_, index) => graphql(index % 2 ? routerA() : routerB(), '{ __typename }', {}, { clientIp })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(ROUTER_RATE_LIMIT);
    expect(answers.filter((answer) => answer.status === 429).flatMap(errorCodes)).toEqual(Array(10).fill('RATE_LIMITED'));
  });

  it('apply each domain event once although two consumers of each group run', async () => {
    const users = await Promise.all(
      Array.from({ length: 6 }, (_, index) => register(index % 2 ? routerA() : routerB(), { displayName: `Replica ${index}` })),
    );
    const ids = users.map((user) => user.user.id);
    const database = new pg.Client({ connectionString: runDatabaseUrl() });
    await database.connect();
    try {
      const countIn = async (schema: string) => {
        const { rows } = await database.query<{ count: string }>(
          `SELECT count(*) FROM "${schema}".processed_events e JOIN pyairtable_auth.outbox_events o ON o.id::text = e.event_id
            WHERE o.payload->>'userId' = ANY($1::text[])`,
          [ids],
        );
        return Number(rows[0]?.count);
      };
      expect(
        await eventually(
          () => countIn('pyairtable_users'),
          (count) => count >= ids.length,
        ),
      ).toBe(ids.length);
      expect(
        await eventually(
          () => countIn('pyairtable_workspaces'),
          (count) => count >= ids.length,
        ),
      ).toBe(ids.length);
      const profiles = await database.query<{ count: string }>('SELECT count(*) FROM pyairtable_users.profiles WHERE id = ANY($1::uuid[])', [ids]);
      expect(Number(profiles.rows[0]?.count)).toBe(ids.length);
    } finally {
      await database.end();
    }
  });
});

describe('db:migrate started by two replicas at once', () => {
  it('applies each committed migration exactly once', async () => {
    const database = await createIsolatedDatabase({ migrate: false });
    try {
      const runs = [1, 2].map(() => spawn('npm', ['run', '--silent', 'db:migrate'], { env: { ...process.env, DATABASE_URL: database.url } }));
      const codes = await Promise.all(runs.map(async (run) => ((await once(run, 'exit')) as [number | null])[0]));
      expect(codes).toEqual([0, 0]);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        for (const subgraph of SUBGRAPHS) {
          const committed = (await readdir(`prisma/${subgraph}/migrations`, { withFileTypes: true }))
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name);
          const { rows } = await client.query<{ migration_name: string }>(
            `SELECT migration_name FROM "pyairtable_${subgraph}"._prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`,
          );
          expect(rows.map((row) => row.migration_name)).toEqual(committed.sort());
        }
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
