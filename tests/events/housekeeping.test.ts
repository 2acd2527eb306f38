/** Bounded growth: the stream trimmed only up to what every group acknowledged; outbox and inbox purged after retention. */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventHousekeeping, redisEventStreamMaintenance, userEventStreamKey } from '@pyairtable/common/events';
import { createLogger } from '@pyairtable/common/observability';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Registry } from 'prom-client';
import { runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { createIsolatedDatabase } from '../support/isolated-database.js';

const logger = createLogger('housekeeping-test', process.env['TEST_LOG_LEVEL'] ?? 'silent');

let redis: Redis;
beforeAll(() => {
  redis = new Redis(runRedisUrl());
});
afterAll(async () => {
  await redis.quit();
});

describe('trimming the event stream', () => {
  it('never drops an entry some consumer group has not acknowledged', async () => {
    const prefix = `${runRedisPrefix()}trim-${randomBytes(4).toString('hex')}:`;
    const stream = userEventStreamKey(prefix);
    const maintenance = redisEventStreamMaintenance(redis, prefix);
    const ids: string[] = [];
    for (let index = 0; index < 10; index += 1) ids.push(String(await redis.xadd(stream, '*', 'n', String(index))));
    await redis.xgroup('CREATE', stream, 'fast', '0');
    await redis.xgroup('CREATE', stream, 'slow', '0');
    await redis.xreadgroup('GROUP', 'fast', 'c1', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xack(stream, 'fast', ...ids);
    await redis.xreadgroup('GROUP', 'slow', 'c1', 'COUNT', 5, 'STREAMS', stream, '>');

    // slow holds its first five pending: nothing may go.
    expect(await maintenance.trimAcknowledged()).toBe(0);
    expect(await redis.xlen(stream)).toBe(10);
    expect(Object.fromEntries(await maintenance.groupLag(['fast', 'slow']))).toEqual({ fast: 0, slow: 5 });

    await redis.xack(stream, 'slow', ...ids.slice(0, 3));
    expect(await maintenance.trimAcknowledged()).toBe(3);
    expect((await redis.xrange(stream, '-', '+')).map(([id]) => id)).toEqual(ids.slice(3));

    await redis.xack(stream, 'slow', ...ids.slice(3, 5));
    // Acknowledged up to the fifth, and never handed the rest: only the first five go.
    expect(await maintenance.trimAcknowledged()).toBe(2);
    expect(await redis.xlen(stream)).toBe(5);
    await redis.del(stream);
  });
});

describe('purging the outbox and the processed-event records', () => {
  let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createIsolatedDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('deletes published rows and records past the retention, keeps the rest and deletion tombstones, and gauges the backlog', async () => {
    const insertOutbox = (publishedHoursAgo: number | null) =>
      client.query(`INSERT INTO pyairtable_auth.outbox_events (id, type, payload, published_at) VALUES ($1, 'user.registered', '{}', $2)`, [
        randomUUID(),
        publishedHoursAgo === null ? null : new Date(Date.now() - publishedHoursAgo * 3_600_000),
      ]);
    await insertOutbox(200);
    await insertOutbox(1);
    await insertOutbox(null);
    await insertOutbox(null);
    const insertProcessed = (type: string, hoursAgo: number) =>
      client.query(`INSERT INTO pyairtable_auth.processed_events (event_id, type, user_id, processed_at) VALUES ($1, $2, $3, $4)`, [
        randomUUID(),
        type,
        randomUUID(),
        new Date(Date.now() - hoursAgo * 3_600_000),
      ]);
    await insertProcessed('invitation.accepted', 200);
    await insertProcessed('user.deleted', 200);
    await insertProcessed('invitation.accepted', 1);

    const registry = new Registry();
    const sql = {
      $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
      $queryRawUnsafe: async <Row>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as Row,
    };
    const housekeeping = new EventHousekeeping({
      database: sql,
      databaseSchema: 'pyairtable_auth',
      hasOutbox: true,
      consumerGroups: [],
      retentionHours: 168,
      registry,
      logger,
    });
    await housekeeping.run();

    const outbox = await client.query<{ published: boolean }>('SELECT published_at IS NOT NULL AS published FROM pyairtable_auth.outbox_events');
    expect(outbox.rows.map((row) => row.published).sort()).toEqual([false, false, true]);
    const processed = await client.query<{ type: string }>('SELECT type FROM pyairtable_auth.processed_events ORDER BY type');
    expect(processed.rows.map((row) => row.type)).toEqual(['invitation.accepted', 'user.deleted']);
    expect(await registry.getSingleMetricAsString('outbox_backlog_events')).toMatch(/^outbox_backlog_events 2$/m);
  });
});
