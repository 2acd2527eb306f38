/**
 * Processes killed without warning (SIGKILL), each service its own process as in production: the users subgraph
 * killed while accounts are registered, and killed in the middle of a batch of events. Nothing is lost, nothing
 * applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { SUBGRAPH_NAMES, subgraphUrlSetting, type SubgraphName } from '@pyairtable/common/subgraphs';
import pg from 'pg';
import { register, uniqueEmail } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { testEnvironment } from '../support/graph.js';
import { createIsolatedDatabase } from '../support/isolated-database.js';
import { freePort } from '../support/own-servers.js';
import { startServiceProcess, type ServiceProcess } from '../support/processes.js';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let env: Record<string, string>;
let usersPort: number;
const subgraphs = {} as Record<SubgraphName, ServiceProcess>;
let router: ServiceProcess;

function startUsers(): Promise<ServiceProcess> {
  // The same port (the router's SUBGRAPH_URL_USERS) and the same consumer name: a restarted replica.
  return startServiceProcess('subgraphs/users/src/main.ts', { ...env, PORT: String(usersPort), EVENT_CONSUMER_NAME: 'users-faults' });
}

async function killUsers(): Promise<void> {
  const users = subgraphs.users;
  users.process.kill('SIGKILL');
  if (users.process.exitCode === null && users.process.signalCode === null) await once(users.process, 'exit');
}

beforeAll(async () => {
  database = await createIsolatedDatabase();
  env = await testEnvironment({ DATABASE_URL: database.url, THROTTLE_REGISTER_PER_IP: '1000/1m' });
  usersPort = await freePort();
  for (const name of SUBGRAPH_NAMES) {
    subgraphs[name] = name === 'users' ? await startUsers() : await startServiceProcess(`subgraphs/${name}/src/main.ts`, env);
  }
  router = await startServiceProcess('router/src/main.ts', {
    ...env,
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlSetting(name), `${subgraphs[name].url}/graphql`])),
  });
}, 180_000);

afterAll(async () => {
  await router.stop();
  for (const name of SUBGRAPH_NAMES) await subgraphs[name].stop();
  await database.drop();
});

/** Profiles and users' processed-event records of the accounts of these emails (an event applied twice would show). */
async function usersState(emails: string[]): Promise<{ profiles: number; processed: number }> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const registered = `SELECT o.id::text AS event_id, (o.payload->>'userId')::uuid AS user_id FROM pyairtable_auth.outbox_events o
      WHERE o.type = 'user.registered' AND o.payload->>'email' = ANY($1::text[])`;
    const profiles = await client.query<{ count: string }>(
      `SELECT count(*) FROM pyairtable_users.profiles p JOIN (${registered}) r ON r.user_id = p.id`,
      [emails],
    );
    const processed = await client.query<{ count: string }>(
      `SELECT count(*) FROM pyairtable_users.processed_events e JOIN (${registered}) r ON r.event_id = e.event_id`,
      [emails],
    );
    return { profiles: Number(profiles.rows[0]?.count), processed: Number(processed.rows[0]?.count) };
  } finally {
    await client.end();
  }
}

describe('the users subgraph killed with SIGKILL', () => {
  it('while 20 accounts are registered: once restarted, 20 profiles', async () => {
    await killUsers();
    const emails = Array.from({ length: 20 }, () => uniqueEmail('while-down'));
    await Promise.all(emails.map((email) => register(router.url, { email, displayName: 'Registered while users was down' })));
    subgraphs.users = await startUsers();
    const state = await eventually(
      () => usersState(emails),
      ({ profiles }) => profiles === emails.length,
      30_000,
    );
    expect(state).toEqual({ profiles: 20, processed: 20 });
  });

  it('in the middle of a batch of events: once restarted, each applied exactly once', async () => {
    const emails = Array.from({ length: 40 }, () => uniqueEmail('mid-batch'));
    const registering = Promise.all(emails.map((email) => register(router.url, { email, displayName: 'Mid batch' })));
    await eventually(
      () => usersState(emails),
      ({ processed }) => processed > 0,
      20_000,
      5,
    );
    await killUsers();
    const atKill = await usersState(emails);
    await registering;
    subgraphs.users = await startUsers();
    const state = await eventually(
      () => usersState(emails),
      ({ profiles }) => profiles === emails.length,
      30_000,
    );
    expect(state).toEqual({ profiles: emails.length, processed: emails.length });
    console.log(`users killed with ${atKill.processed} of ${emails.length} events applied; after the restart ${state.processed} of ${emails.length}`);
  });
});
