import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MemoryEventBus,
  redisEventPublisher,
  redisEventSubscriber,
  userEventStreamKey,
  type DomainEvent,
  type DomainEventHandler,
  type EventPublisher,
  type EventSubscriber,
  type EventSubscription,
  type RedisSubscriberOptions,
} from '@pyairtable/common/events';
import { createLogger } from '@pyairtable/common/observability';
import { Redis } from 'ioredis';
import { runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { eventually } from '../support/eventually.js';

const logger = createLogger('events-test', process.env['TEST_LOG_LEVEL'] ?? 'silent');
const fastRetries = { initialMs: 20, maxMs: 100 };

let redis: Redis;
beforeAll(() => {
  redis = new Redis(runRedisUrl());
});
afterAll(async () => {
  await redis.quit();
});

const running: EventSubscription[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
});

function registered(label = 'user'): DomainEvent {
  return {
    id: randomUUID(),
    type: 'user.registered',
    occurredAt: new Date().toISOString(),
    data: { userId: randomUUID(), email: `${label}@example.test`, displayName: label, registeredAt: new Date().toISOString() },
  };
}

/** Records what it applied; `failuresBefore` makes it throw that many times first (a database blip). */
class RecordingHandler implements DomainEventHandler {
  readonly applied: DomainEvent[] = [];
  attempts = 0;
  constructor(private failuresBefore = 0) {}
  apply(event: DomainEvent): Promise<void> {
    this.attempts += 1;
    if (this.failuresBefore > 0) {
      this.failuresBefore -= 1;
      return Promise.reject(new Error('database unavailable'));
    }
    this.applied.push(event);
    return Promise.resolve();
  }
  ids(): string[] {
    return this.applied.map((event) => event.id);
  }
}

/** Waits until `condition` holds, failing the test if it never does. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  expect(
    await eventually(
      async () => condition(),
      (met) => met,
      timeoutMs,
      20,
    ),
  ).toBe(true);
}

interface Bus {
  publisher: EventPublisher;
  subscriber: (options?: RedisSubscriberOptions) => EventSubscriber;
  prefix: string;
}

function redisBus(): Bus {
  const prefix = `${runRedisPrefix()}events-test:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    publisher: redisEventPublisher(redis, prefix),
    subscriber: (options = {}) => redisEventSubscriber(redis, prefix, logger, { retryDelays: fastRetries, ...options }),
  };
}

function memoryBus(): Bus {
  const bus = new MemoryEventBus(logger, fastRetries);
  return { prefix: 'memory', publisher: bus, subscriber: () => bus.subscriber };
}

function subscribe(subscriber: EventSubscriber, group: string, handler: DomainEventHandler, start = true): EventSubscription {
  const subscription = subscriber(group, handler);
  running.push(subscription);
  if (start) subscription.start();
  return subscription;
}

describe.each([
  ['Redis Streams', redisBus],
  ['the in-memory bus', memoryBus],
])('domain events through %s', (_name, createBus) => {
  it('gives a group created after publishing every event already published, in order', async () => {
    const bus = createBus();
    const events = [registered('a'), registered('b'), registered('c')];
    await bus.publisher.publish(events);
    const handler = new RecordingHandler();
    subscribe(bus.subscriber(), 'late-group', handler);
    await until(() => handler.applied.length === 3);
    expect(handler.ids()).toEqual(events.map((event) => event.id));
  });

  it('delivers every event to every group, and within a group to one subscription only', async () => {
    const bus = createBus();
    const [first, second, other] = [new RecordingHandler(), new RecordingHandler(), new RecordingHandler()];
    subscribe(bus.subscriber(), 'shared', first);
    subscribe(bus.subscriber(), 'shared', second);
    subscribe(bus.subscriber(), 'other', other);
    const events = Array.from({ length: 30 }, (_, index) => registered(`u${index}`));
    for (const event of events) await bus.publisher.publish([event]);
    await until(() => first.applied.length + second.applied.length === 30 && other.applied.length === 30);
    expect([...first.ids(), ...second.ids()].sort()).toEqual(events.map((event) => event.id).sort());
    expect(other.ids()).toEqual(events.map((event) => event.id));
  });

  it('catchUp applies what was just published before returning, even without a running consumer', async () => {
    const bus = createBus();
    const handler = new RecordingHandler();
    const subscription = subscribe(bus.subscriber(), 'readers', handler, false);
    const event = registered('fresh');
    await bus.publisher.publish([event]);
    await subscription.catchUp();
    expect(handler.ids()).toEqual([event.id]);
    await subscription.catchUp();
    expect(handler.ids()).toEqual([event.id]);
  });

  it('retries an event whose handler throws, with backoff, and keeps later events behind it', async () => {
    const bus = createBus();
    const handler = new RecordingHandler(3);
    subscribe(bus.subscriber(), 'flaky', handler);
    const events = [registered('first'), registered('second')];
    await bus.publisher.publish(events);
    await until(() => handler.applied.length === 2);
    expect(handler.ids()).toEqual(events.map((event) => event.id));
    expect(handler.attempts).toBe(5);
  });
});

describe('the Redis Streams subscription', () => {
  async function pendingCount(prefix: string, group: string): Promise<number> {
    // The summary form of XPENDING: [count, smallest id, greatest id, consumers], the count an integer reply.
    const [count] = (await redis.call('XPENDING', [userEventStreamKey(prefix), group])) as [number, ...unknown[]];
    return count;
  }

  it('acknowledges an event only after it was applied', async () => {
    const bus = redisBus();
    const handler = new RecordingHandler(1_000);
    subscribe(bus.subscriber({ retryDelays: { initialMs: 50, maxMs: 50 } }), 'stuck', handler);
    await bus.publisher.publish([registered()]);
    await until(() => handler.attempts >= 2);
    expect(await pendingCount(bus.prefix, 'stuck')).toBe(1);
  });

  it('logs and acknowledges a malformed entry without blocking the events behind it', async () => {
    const bus = redisBus();
    const stream = userEventStreamKey(bus.prefix);
    await redis.call('XADD', [stream, '*', 'id', 'x', 'type', 'user.registered', 'payload', '{not json', 'occurredAt', 'now']);
    await redis.call('XADD', [stream, '*', 'id', 'y', 'type', 'user.renamed', 'payload', '{}', 'occurredAt', new Date().toISOString()]);
    const good = registered('good');
    await bus.publisher.publish([good]);
    const handler = new RecordingHandler();
    subscribe(bus.subscriber(), 'strict', handler);
    await until(() => handler.applied.length === 1);
    expect(handler.ids()).toEqual([good.id]);
    await until(async () => (await pendingCount(bus.prefix, 'strict')) === 0);
  });

  it('stops promptly, without waiting out a blocked read', async () => {
    const bus = redisBus();
    const subscription = subscribe(bus.subscriber({ blockMs: 1_000 }), 'quick', new RecordingHandler());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await subscription.stop();
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('re-processes its own pending entries when a consumer of the same name starts again', async () => {
    const bus = redisBus();
    const stream = userEventStreamKey(bus.prefix);
    const event = registered('handed-over');
    await bus.publisher.publish([event]);
    // A replica that read the entry and died before acknowledging it.
    await redis.call('XGROUP', ['CREATE', stream, 'restarts', '0', 'MKSTREAM']);
    await redis.call('XREADGROUP', ['GROUP', 'restarts', 'replica-1', 'COUNT', '10', 'STREAMS', stream, '>']);
    const handler = new RecordingHandler();
    subscribe(bus.subscriber({ consumerName: 'replica-1' }), 'restarts', handler);
    await until(() => handler.applied.length === 1);
    expect(handler.ids()).toEqual([event.id]);
    await until(async () => (await pendingCount(bus.prefix, 'restarts')) === 0);
  });

  it('takes over entries a dead consumer left pending', async () => {
    const bus = redisBus();
    const stream = userEventStreamKey(bus.prefix);
    const event = registered('orphan');
    await bus.publisher.publish([event]);
    await redis.call('XGROUP', ['CREATE', stream, 'takeover', '0', 'MKSTREAM']);
    await redis.call('XREADGROUP', ['GROUP', 'takeover', 'dead-replica', 'COUNT', '10', 'STREAMS', stream, '>']);
    const handler = new RecordingHandler();
    subscribe(bus.subscriber({ consumerName: 'live-replica', claimIdleMs: 300, claimIntervalMs: 100 }), 'takeover', handler);
    await until(() => handler.applied.length === 1);
    expect(handler.ids()).toEqual([event.id]);
    await until(async () => (await pendingCount(bus.prefix, 'takeover')) === 0);
  });

  it('catchUp covers entries another consumer holds pending, and scans only the unacknowledged backlog', async () => {
    const bus = redisBus();
    const stream = userEventStreamKey(bus.prefix);
    const old = Array.from({ length: 5 }, (_, index) => registered(`old${index}`));
    await bus.publisher.publish(old);
    const handler = new RecordingHandler();
    const reader = subscribe(bus.subscriber({ consumerName: 'reader' }), 'backlog', handler);
    await until(() => handler.applied.length === 5);
    await reader.stop();

    const fresh = registered('fresh');
    await bus.publisher.publish([fresh]);
    await redis.call('XREADGROUP', ['GROUP', 'backlog', 'slow-replica', 'COUNT', '10', 'STREAMS', stream, '>']);
    const catchingUp = new RecordingHandler();
    await subscribe(bus.subscriber({ consumerName: 'request-handler' }), 'backlog', catchingUp, false).catchUp();
    expect(catchingUp.ids()).toEqual([fresh.id]);
  });

  it('leaves the group when it stops with nothing pending', async () => {
    const bus = redisBus();
    const handler = new RecordingHandler();
    const subscription = subscribe(bus.subscriber({ consumerName: 'short-lived' }), 'tidy', handler);
    await bus.publisher.publish([registered()]);
    await until(() => handler.applied.length === 1);
    await subscription.stop();
    const consumers = (await redis.call('XINFO', ['CONSUMERS', userEventStreamKey(bus.prefix), 'tidy'])) as unknown[];
    expect(consumers).toEqual([]);
  });
});
