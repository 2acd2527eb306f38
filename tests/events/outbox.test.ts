import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, uniqueEmail } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { DELETE_USER, as, dataOf, queryDatabase, signUp } from '../users/helpers.js';

const graph = useGraph();

interface OutboxRow extends Record<string, unknown> {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  published_at: Date | null;
}

function outboxRowsOf(userId: string): Promise<OutboxRow[]> {
  return queryDatabase<OutboxRow>(
    `SELECT id, type, payload, published_at FROM pyairtable_auth.outbox_events WHERE payload->>'userId' = $1 ORDER BY sequence`,
    [userId],
  );
}

describe('the auth outbox', () => {
  it('records user.registered with the account and has published it by the time register answers', async () => {
    const account = await signUp(graph.routerUrl, { displayName: '  Outboxed  ' });
    const rows = await outboxRowsOf(account.id);
    expect(rows).toEqual([
      {
        id: expect.any(String),
        type: 'user.registered',
        payload: { userId: account.id, email: account.email, displayName: 'Outboxed', registeredAt: expect.any(String) },
        published_at: expect.any(Date),
      },
    ]);
  });

  it('records a null display name when none was given', async () => {
    const account = await signUp(graph.routerUrl);
    expect((await outboxRowsOf(account.id))[0]?.payload['displayName']).toBeNull();
  });

  it('writes nothing for a registration that failed (CONFLICT)', async () => {
    const email = uniqueEmail('taken');
    const account = await signUp(graph.routerUrl, { email });
    const again = await graphql(graph.routerUrl, `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`, {
      input: { email: email.toUpperCase(), password: 'another good password' },
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    const forEmail = await queryDatabase(`SELECT id FROM pyairtable_auth.outbox_events WHERE payload->>'email' = $1`, [email]);
    expect(forEmail).toHaveLength(1);
    expect(await outboxRowsOf(account.id)).toHaveLength(1);
  });

  it('records user.deleted with the deletion', async () => {
    const account = await signUp(graph.routerUrl);
    expect(dataOf(await as(graph.routerUrl, account, DELETE_USER, { id: account.id }))).toEqual({ deleteUser: true });
    const rows = await outboxRowsOf(account.id);
    expect(rows.map((row) => [row.type, row.payload, row.published_at !== null])).toEqual([
      ['user.registered', expect.any(Object), true],
      ['user.deleted', { userId: account.id }, true],
    ]);
  });

  it('publishes, by polling, an event that was committed but never flushed (a crash right after commit)', async () => {
    const userId = randomUUID();
    const email = uniqueEmail('orphaned');
    await queryDatabase(`INSERT INTO pyairtable_auth.outbox_events (id, type, payload) VALUES ($1, 'user.registered', $2)`, [
      randomUUID(),
      JSON.stringify({ userId, email, displayName: 'Polled', registeredAt: new Date().toISOString() }),
    ]);
    const published = await eventually(
      () => outboxRowsOf(userId),
      (rows) => rows[0]?.published_at != null,
      5_000,
      50,
    );
    expect(published[0]?.published_at).toEqual(expect.any(Date));
    const profiles = await eventually(
      () => queryDatabase<{ display_name: string }>('SELECT display_name FROM pyairtable_users.profiles WHERE id = $1', [userId]),
      (rows) => rows.length === 1,
    );
    expect(profiles).toEqual([{ display_name: 'Polled' }]);
  });
});
