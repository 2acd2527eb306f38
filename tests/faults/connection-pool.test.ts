/**
 * More requests at once than a subgraph's pool has connections, with the database merely busy: they wait for a
 * connection and are served, rather than answered "database unavailable" (SERVICE_UNAVAILABLE is for a database that
 * is away).
 */
import { describe, expect, it } from '@jest/globals';
import { CONNECTION_WAIT_MS } from '@pyairtable/common/data';
import pg from 'pg';
import { as, signUp, untilProfilesServed, type Account } from '../support/client.js';
import { runDatabaseUrl, runRedisPrefix } from '../support/environment.js';
import { useGraph } from '../support/use-graph.js';

// One connection per subgraph: a second request has to wait for the first's. Events of its own (a key prefix under
// the run's), so no event another file's graph left in the stream takes that connection while profiles are locked.
const graph = useGraph({ DATABASE_POOL_SIZE: '1', REDIS_KEY_PREFIX: `${runRedisPrefix()}connection-pool:` });

/**
 * Makes every statement on the users' profiles wait, as a long migration or a slow query would, until the returned
 * function is called `milliseconds` later.
 */
async function lockProfiles(): Promise<(afterMs: number) => Promise<void>> {
  const locker = new pg.Client({ connectionString: runDatabaseUrl() });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE pyairtable_users.profiles IN ACCESS EXCLUSIVE MODE');
  return async (afterMs) => {
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    await locker.query('COMMIT');
    await locker.end();
  };
}

const ME = '{ me { displayName } }';

/**
 * Two accounts whose profiles the users subgraph already serves: its event consumer is done with them, so the only
 * statements the lock holds up are the test's requests.
 */
async function twoReaders(first: string, second: string): Promise<Account[]> {
  const readers = await Promise.all([signUp(graph.url, { displayName: first }), signUp(graph.url, { displayName: second })]);
  await untilProfilesServed(
    graph.url,
    readers.map((reader) => reader.token),
  );
  return readers;
}

describe('a subgraph pool with fewer connections than requests', () => {
  it('serves a request that waited 3 s for the only connection', async () => {
    const readers = await twoReaders('First', 'Second');
    const unlock = await lockProfiles();
    const started = performance.now();
    // The first takes the users subgraph's one connection and waits on the lock; the second waits for that connection.
    const answering = Promise.all(readers.map((reader) => as(graph.url, reader, ME)));
    await unlock(3_000);
    const answers = await answering;

    expect(answers.map((answer) => answer.body)).toEqual([{ data: { me: { displayName: 'First' } } }, { data: { me: { displayName: 'Second' } } }]);
    expect(performance.now() - started).toBeGreaterThan(2_900);
  });

  it('answers SERVICE_UNAVAILABLE, naming the database, to one that waited longer than CONNECTION_WAIT_MS', async () => {
    const readers = await twoReaders('Patient', 'Turned away');
    const unlock = await lockProfiles();
    // Whichever reached the subgraph first took the connection and waited out the lock; the other waited for it.
    const answering = Promise.all(readers.map((reader) => as(graph.url, reader, ME)));
    await unlock(CONNECTION_WAIT_MS + 1_500);
    const answers = await answering;

    const served = answers.filter((answer) => answer.body.errors === undefined);
    const refused = answers.filter((answer) => answer.body.errors !== undefined);
    expect(served.map((answer) => answer.body.data)).toEqual([{ me: { displayName: expect.any(String) } }]);
    expect(refused.flatMap((answer) => answer.body.errors ?? []).map(({ message, extensions }) => [message, extensions?.['code']])).toEqual([
      ['The database is unavailable right now; try again shortly', 'SERVICE_UNAVAILABLE'],
    ]);
  }, 30_000);
});
