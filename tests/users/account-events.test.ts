import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { redisEventPublisher } from '@pyairtable/common/events';
import type { HttpService } from '@pyairtable/common/http';
import { connectSubgraphPlatform } from '@pyairtable/common/subgraphs';
import { DATABASE_SCHEMA, SERVICE_NAME, createUsersSubgraph } from '@pyairtable/users-subgraph/server';
import { createRouter } from '@pyairtable/router/server';
import { Redis } from 'ioredis';
import { loadRouterConfig } from '@pyairtable/router/config';
import { loadUsersConfig } from '@pyairtable/users-subgraph/config';
import { startGraph, type TestGraph } from '../support/graph.js';
import { graphql, login, register, uniqueEmail } from '../support/client.js';
import { runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { eventually } from '../support/eventually.js';
import { DELETE_USER, ME, USER, as, expectError, signUp, queryDatabase, dataOf, usersGroupBacklog, type Account } from './helpers.js';
import { counterValue } from '../support/metrics.js';

let graph: TestGraph;
let admin: Account;
/** Extra services a test starts; closed after it. */
const extraServices: HttpService[] = [];

// Each test gets its own graph: several stop its users replica on purpose.
beforeEach(async () => {
  const adminEmail = uniqueEmail('events-admin');
  graph = await startGraph({ ADMIN_EMAILS: adminEmail });
  admin = await signUp(graph.routerUrl, { email: adminEmail });
  // Start each test with no event in flight, so the counts a test reads are its own.
  const redis = new Redis(runRedisUrl());
  try {
    await eventually(
      () => usersGroupBacklog(redis),
      (backlog) => backlog === 0,
    );
  } finally {
    await redis.quit();
  }
});
afterEach(async () => {
  for (const service of extraServices.splice(0).reverse()) await service.close();
  await graph.close();
});

/** Another users subgraph replica on the run's database and Redis, listening on a free port. */
async function startUsersReplica(options: { backgroundConsumer?: boolean } = {}): Promise<string> {
  const config = loadUsersConfig(graph.env);
  const platform = connectSubgraphPlatform(config, SERVICE_NAME, DATABASE_SCHEMA);
  const { service } = await createUsersSubgraph(
    config,
    options.backgroundConsumer === false
      ? {
          ...platform,
          // A real subscription whose background loop never runs: only catch-ups on a read miss apply events.
          subscribeToEvents: (group, handler) => {
            const subscription = platform.subscribeToEvents(group, handler);
            return { start: () => undefined, catchUp: () => subscription.catchUp(), stop: () => subscription.stop() };
          },
        }
      : platform,
  );
  extraServices.push(service);
  return (await service.listen(0, '127.0.0.1')).url;
}

/** A second router in front of the same subgraphs, except for users, which is `usersUrl`. */
async function routerWithUsersAt(usersUrl: string): Promise<string> {
  const config = loadRouterConfig({
    ...graph.env,
    SUBGRAPH_URL_AUTH: `${graph.subgraphUrls.auth}/graphql`,
    SUBGRAPH_URL_WORKSPACES: `${graph.subgraphUrls.workspaces}/graphql`,
    SUBGRAPH_URL_USERS: `${usersUrl}/graphql`,
  });
  const { service } = await createRouter(config);
  extraServices.push(service);
  return (await service.listen(0, '127.0.0.1')).url;
}

function profileRows(userIds: string[]) {
  return queryDatabase<{ id: string; display_name: string }>('SELECT id, display_name FROM pyairtable_users.profiles WHERE id = ANY($1::uuid[])', [
    userIds,
  ]);
}

function processedEventRows(userIds: string[]) {
  return queryDatabase<{ user_id: string; type: string }>(
    'SELECT user_id, type FROM pyairtable_users.processed_events WHERE user_id = ANY($1::uuid[])',
    [userIds],
  );
}

async function registerMany(count: number, label: string): Promise<string[]> {
  const accounts = await Promise.all(
    Array.from({ length: count }, (_, index) => register(graph.routerUrl, { email: uniqueEmail(label), displayName: `${label} ${index}` })),
  );
  return accounts.map((account) => account.user.id);
}

const APPLIED_REGISTRATIONS = { type: 'user.registered', outcome: 'applied' };

describe('profiles follow accounts through the events', () => {
  it('reads its own writes with nothing but catch-up: no background consumer runs', async () => {
    await graph.services.users.close();
    const routerUrl = await routerWithUsersAt(await startUsersReplica({ backgroundConsumer: false }));
    for (let index = 0; index < 3; index += 1) {
      const account = await register(routerUrl, { email: uniqueEmail('catch-up'), displayName: `Caught Up ${index}` });
      const me = await graphql<{ me: { displayName: string } }>(routerUrl, ME, {}, { token: account.accessToken });
      expect(dataOf(me).me.displayName).toBe(`Caught Up ${index}`);
    }
  });

  it('deleteUser: login fails at once, the profile is gone within seconds', async () => {
    const account = await signUp(graph.routerUrl, { displayName: 'Leaving' });
    expect(dataOf(await as(graph.routerUrl, admin, USER, { id: account.id }))).toMatchObject({ user: { id: account.id } });
    expect(dataOf(await as(graph.routerUrl, account, DELETE_USER, { id: account.id }))).toEqual({ deleteUser: true });
    expectError(await login(graph.routerUrl, account.email, account.password), 'UNAUTHENTICATED');
    const remaining = await eventually(
      () => profileRows([account.id]),
      (rows) => rows.length === 0,
      5_000,
      50,
    );
    expect(remaining).toEqual([]);
    expect(dataOf(await as(graph.routerUrl, admin, USER, { id: account.id }))).toEqual({ user: null });
    expect(await processedEventRows([account.id])).toEqual(
      expect.arrayContaining([
        { user_id: account.id, type: 'user.registered' },
        { user_id: account.id, type: 'user.deleted' },
      ]),
    );
  });

  it('loses nothing and applies nothing twice when the consumer is down while accounts register', async () => {
    await graph.services.users.close();
    const userIds = await registerMany(6, 'while-down');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await profileRows(userIds)).toEqual([]);

    const replicaUrl = await startUsersReplica();
    const profiles = await eventually(
      () => profileRows(userIds),
      (rows) => rows.length === userIds.length,
    );
    expect(profiles.map((row) => row.id).sort()).toEqual([...userIds].sort());
    expect(await processedEventRows(userIds)).toHaveLength(userIds.length);
    expect(await counterValue(replicaUrl, 'domain_events_handled_total', APPLIED_REGISTRATIONS)).toBe(userIds.length);
    expect(await counterValue(replicaUrl, 'domain_events_handled_total', { outcome: 'duplicate' })).toBe(0);
  });

  it('ignores an event delivered again (a relay that crashed between publishing and marking)', async () => {
    const account = await signUp(graph.routerUrl, { displayName: 'Original' });
    dataOf(await as(graph.routerUrl, account, 'mutation { updateMe(input: { displayName: "Edited" }) { id } }'));
    const redis = new Redis(runRedisUrl());
    const stream = `${runRedisPrefix()}events:users`;
    const duplicatesHandled = () =>
      counterValue(graph.subgraphUrls.users, 'domain_events_handled_total', { type: 'user.registered', outcome: 'duplicate' });
    try {
      await eventually(
        () => usersGroupBacklog(redis),
        (backlog) => backlog === 0,
      );
      const before = await duplicatesHandled();
      const entries = (await redis.call('XREVRANGE', [stream, '+', '-', 'COUNT', '500'])) as Array<[string, string[]]>;
      const original = entries.find(([, fields]) => fields.includes('user.registered') && fields.join(' ').includes(account.id));
      if (!original) throw new Error('the registration event is not in the stream');
      await redis.call('XADD', [stream, '*', ...original[1]]);
      expect(await eventually(duplicatesHandled, (count) => count > before)).toBe(before + 1);
    } finally {
      await redis.quit();
    }
    expect(dataOf(await as<{ me: { displayName: string } }>(graph.routerUrl, account, ME)).me.displayName).toBe('Edited');
    expect(await processedEventRows([account.id])).toHaveLength(1);
  });

  it('keeps a user deleted when the registration is applied after the deletion (replicas racing)', async () => {
    const userId = randomUUID();
    const occurredAt = new Date().toISOString();
    const redis = new Redis(runRedisUrl());
    try {
      await redisEventPublisher(redis, runRedisPrefix()).publish([
        { id: randomUUID(), type: 'user.deleted', occurredAt, data: { userId } },
        {
          id: randomUUID(),
          type: 'user.registered',
          occurredAt,
          data: { userId, email: uniqueEmail('late'), displayName: 'Late', registeredAt: occurredAt },
        },
      ]);
    } finally {
      await redis.quit();
    }
    const processed = await eventually(
      () => processedEventRows([userId]),
      (rows) => rows.length === 2,
    );
    expect(processed.map((row) => row.type).sort()).toEqual(['user.deleted', 'user.registered']);
    expect(await profileRows([userId])).toEqual([]);
    expect(await counterValue(graph.subgraphUrls.users, 'domain_events_handled_total', { outcome: 'superseded' })).toBe(1);
  });

  it('with two replicas in one group, applies each event once', async () => {
    const firstReplica = await startUsersReplica();
    const secondReplica = await startUsersReplica();
    const before = await counterValue(graph.subgraphUrls.users, 'domain_events_handled_total', APPLIED_REGISTRATIONS);
    const userIds = await registerMany(20, 'two-replicas');
    await eventually(
      () => profileRows(userIds),
      (rows) => rows.length === userIds.length,
    );
    await eventually(
      async () =>
        (await counterValue(graph.subgraphUrls.users, 'domain_events_handled_total', APPLIED_REGISTRATIONS)) -
        before +
        (await counterValue(firstReplica, 'domain_events_handled_total', APPLIED_REGISTRATIONS)) +
        (await counterValue(secondReplica, 'domain_events_handled_total', APPLIED_REGISTRATIONS)),
      (applied) => applied >= userIds.length,
    );
    const applied = await Promise.all([
      counterValue(graph.subgraphUrls.users, 'domain_events_handled_total', APPLIED_REGISTRATIONS).then((count) => count - before),
      counterValue(firstReplica, 'domain_events_handled_total', APPLIED_REGISTRATIONS),
      counterValue(secondReplica, 'domain_events_handled_total', APPLIED_REGISTRATIONS),
    ]);
    expect(applied.reduce((sum, count) => sum + count, 0)).toBe(userIds.length);
    expect(await processedEventRows(userIds)).toHaveLength(userIds.length);
  });
});
