import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import type { DomainEvent } from './domain-events.js';
import { backoffDelay, Coalescer, DEFAULT_RETRY_DELAYS, InterruptibleSleep, type RetryDelays } from '../background/retry.js';
import { applyWithRetry } from './delivery.js';
import { fromStreamFields, MalformedEventError, toStreamFields, userEventStreamKey } from './event-format.js';
import type { EventStreamMaintenance } from './housekeeping.js';
import type { EventPublisher } from './outbox-relay.js';
import type { DomainEventHandler, EventSubscriber, EventSubscription } from './subscription.js';

/** Appends events to the stream in the given order, all or none (one MULTI). */
export function redisEventPublisher(redis: Redis, keyPrefix: string): EventPublisher {
  const stream = userEventStreamKey(keyPrefix);
  return {
    async publish(events) {
      if (events.length === 0) return;
      const transaction = redis.multi();
      for (const event of events) transaction.call('XADD', [stream, '*', ...toStreamFields(event)]);
      const results = await transaction.exec();
      if (!results) throw new Error('publishing events was aborted');
      for (const [error] of results) if (error) throw error;
    },
  };
}

export interface RedisSubscriberOptions {
  /** This replica's consumer name in the group; defaults to host name and process id. */
  consumerName?: string;
  /** How long one XREADGROUP waits for new entries (at most 1 s, so the loop stays responsive). */
  blockMs?: number;
  /** Entries read, claimed or scanned per command. */
  batchSize?: number;
  /** Entries pending this long with another consumer are taken over (that consumer is presumed dead). */
  claimIdleMs?: number;
  /** How often this consumer looks for such entries. */
  claimIntervalMs?: number;
  retryDelays?: RetryDelays;
}

type SubscriberSettings = Required<RedisSubscriberOptions>;

interface StreamEntry {
  id: string;
  /** null when the entry was deleted from the stream while pending. */
  fields: string[] | null;
}

/** Where the entries nobody has acknowledged yet begin. */
interface StreamPosition {
  id: string;
  inclusive: boolean;
}

/** How much longer than its BLOCK time a blocking read may take before its connection gives up on it. */
const BLOCKING_READ_GRACE_MS = 2_000;

/** Consumer names taken in this process, so two subscriptions of one group here never share a name. */
const consumerNamesInUse = new Set<string>();

function reserveConsumerName(stream: string, group: string, base: string): { name: string; release: () => void } {
  for (let suffix = 1; ; suffix += 1) {
    const name = suffix === 1 ? base : `${base}-${suffix}`;
    const key = JSON.stringify([stream, group, name]);
    if (!consumerNamesInUse.has(key)) {
      consumerNamesInUse.add(key);
      return { name, release: () => consumerNamesInUse.delete(key) };
    }
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function parseEntries(value: unknown): StreamEntry[] {
  return asArray(value).flatMap((item) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return [];
    return [{ id: item[0], fields: Array.isArray(item[1]) ? item[1].map(String) : null }];
  });
}

/** XREADGROUP answers per stream: `[[key, entries]]` in RESP2, `[key, entries]` from RESP3's map in ioredis. */
function entriesOfStream(reply: unknown, stream: string): StreamEntry[] {
  const items = asArray(reply);
  if (typeof items[0] === 'string') {
    for (let index = 0; index + 1 < items.length; index += 2) if (items[index] === stream) return parseEntries(items[index + 1]);
    return [];
  }
  const match = items.find((item) => Array.isArray(item) && item[0] === stream);
  return Array.isArray(match) ? parseEntries(match[1]) : [];
}

/** A flat `[name, value, ...]` reply (XINFO) as a map. */
function flatMap(value: unknown): Map<string, unknown> {
  const items = asArray(value);
  const map = new Map<string, unknown>();
  for (let index = 0; index + 1 < items.length; index += 2) map.set(String(items[index]), items[index + 1]);
  return map;
}

function parseStreamId(id: string): [bigint, bigint] {
  const [milliseconds = '0', sequence = '0'] = id.split('-');
  return [BigInt(milliseconds), BigInt(sequence)];
}

export function compareStreamIds(left: string, right: string): number {
  const [leftTime, leftSequence] = parseStreamId(left);
  const [rightTime, rightSequence] = parseStreamId(right);
  if (leftTime !== rightTime) return leftTime < rightTime ? -1 : 1;
  if (leftSequence !== rightSequence) return leftSequence < rightSequence ? -1 : 1;
  return 0;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMissingStreamOrGroup(error: unknown): boolean {
  return /^NOGROUP|no such key/i.test(errorMessage(error));
}

/**
 * Consumes the user events stream with a consumer group (one per subgraph; replicas share it, each under
 * its own consumer name). See EventSubscription for the guarantees.
 */
export function redisEventSubscriber(redis: Redis, keyPrefix: string, logger: Logger, options: RedisSubscriberOptions = {}): EventSubscriber {
  const settings: SubscriberSettings = {
    consumerName: options.consumerName ?? `${hostname()}-${process.pid}`,
    blockMs: Math.min(options.blockMs ?? 1_000, 1_000),
    batchSize: options.batchSize ?? 100,
    claimIdleMs: options.claimIdleMs ?? 30_000,
    claimIntervalMs: options.claimIntervalMs ?? 10_000,
    retryDelays: options.retryDelays ?? DEFAULT_RETRY_DELAYS,
  };
  const stream = userEventStreamKey(keyPrefix);
  return (group, handler) => new RedisEventSubscription(redis, stream, group, handler, logger, settings);
}

class RedisEventSubscription implements EventSubscription {
  private readonly sleeper = new InterruptibleSleep();
  private readonly catchUps = new Coalescer(() => this.catchUpNow());
  private readonly logger: Logger;
  private consumer: { name: string; release: () => void } | undefined;
  private blocking: Redis | undefined;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private groupExists = false;
  /** Every entry up to this id has been applied by this subscription's catch-ups (or acknowledged before). */
  private caughtUpThrough: string | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly group: string,
    private readonly handler: DomainEventHandler,
    logger: Logger,
    private readonly settings: SubscriberSettings,
  ) {
    this.logger = logger.child({ stream, group });
  }

  /** A method, not a getter: stop() may run during any await, which narrowing of a property would ignore. */
  private isStopped(): boolean {
    return this.stopping !== undefined;
  }

  start(): void {
    if (this.isStopped()) throw new Error('a stopped event subscription cannot start again');
    if (this.loop) return;
    this.consumer = reserveConsumerName(this.stream, this.group, this.settings.consumerName);
    // A blocking read waits up to blockMs by design: its connection's command timeout must outlast that, and it
    // may queue its reads while reconnecting (nothing waits on this loop but itself).
    const blocking = this.redis.duplicate({
      connectionName: `${this.group}-events`,
      commandTimeout: this.settings.blockMs + BLOCKING_READ_GRACE_MS,
      enableOfflineQueue: true,
    });
    blocking.on('error', (error: unknown) => this.logger.debug({ err: error }, 'event stream connection error'));
    this.blocking = blocking;
    this.loop = this.consume(this.consumer.name, blocking);
    this.logger.info({ consumer: this.consumer.name }, 'consuming domain events');
  }

  catchUp(): Promise<void> {
    return this.catchUps.run();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.sleeper.interrupt();
    // A blocked XREADGROUP would hold the loop for up to blockMs; closing its connection ends it now. Entries
    // it had just been handed stay pending for this consumer name and are re-read on its next start.
    this.blocking?.disconnect();
    await this.loop;
    await this.catchUps.idle();
    if (this.consumer) {
      await this.forgetConsumerIfIdle(this.consumer.name);
      this.consumer.release();
    }
  }

  private async consume(consumer: string, blocking: Redis): Promise<void> {
    let ownPendingDone = false;
    let nextClaimAt = 0;
    let failures = 0;
    while (!this.isStopped()) {
      try {
        await this.ensureGroup();
        if (!ownPendingDone) {
          await this.processOwnPending(consumer);
          ownPendingDone = true;
        }
        if (Date.now() >= nextClaimAt) {
          await this.claimAbandoned(consumer);
          nextClaimAt = Date.now() + this.settings.claimIntervalMs;
        }
        const reply = await blocking.call('XREADGROUP', [
          'GROUP',
          this.group,
          consumer,
          'COUNT',
          String(this.settings.batchSize),
          'BLOCK',
          String(this.settings.blockMs),
          'STREAMS',
          this.stream,
          '>',
        ]);
        await this.process(entriesOfStream(reply, this.stream));
        failures = 0;
      } catch (error) {
        if (this.isStopped()) break;
        if (errorMessage(error).startsWith('NOGROUP')) this.groupExists = false;
        // What this consumer was handed but could not acknowledge is re-read once the stream answers again.
        ownPendingDone = false;
        const retryInMs = backoffDelay(failures, this.settings.retryDelays);
        failures += 1;
        this.logger.warn({ err: error, retryInMs }, 'reading the event stream failed');
        await this.sleeper.sleep(retryInMs);
      }
    }
  }

  /** Creates the group at the start of the stream, so a new group sees every event already published. */
  private async ensureGroup(): Promise<void> {
    if (this.groupExists) return;
    try {
      await this.redis.call('XGROUP', ['CREATE', this.stream, this.group, '0', 'MKSTREAM']);
    } catch (error) {
      if (!errorMessage(error).startsWith('BUSYGROUP')) throw error;
    }
    this.groupExists = true;
  }

  /** Entries this consumer name was handed before (e.g. by a previous run of this replica) but never acknowledged. */
  private async processOwnPending(consumer: string): Promise<void> {
    let after = '0';
    while (!this.isStopped()) {
      const reply = await this.redis.call('XREADGROUP', [
        'GROUP',
        this.group,
        consumer,
        'COUNT',
        String(this.settings.batchSize),
        'STREAMS',
        this.stream,
        after,
      ]);
      const entries = entriesOfStream(reply, this.stream);
      const last = entries.at(-1);
      if (!last) return;
      await this.process(entries);
      after = last.id;
    }
  }

  /** Takes over entries left pending by consumers that have not touched them for claimIdleMs. */
  private async claimAbandoned(consumer: string): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = asArray(
        await this.redis.call('XAUTOCLAIM', [
          this.stream,
          this.group,
          consumer,
          String(this.settings.claimIdleMs),
          cursor,
          'COUNT',
          String(this.settings.batchSize),
        ]),
      );
      cursor = typeof reply[0] === 'string' ? reply[0] : '0-0';
      const entries = parseEntries(reply[1]);
      if (entries.length > 0) this.logger.info({ consumer, count: entries.length }, 'took over events left pending by another consumer');
      await this.process(entries);
    } while (cursor !== '0-0' && !this.isStopped());
  }

  /** Applies entries in order, acknowledging each once applied; stops early (leaving the rest pending) on stop. */
  private async process(entries: StreamEntry[]): Promise<void> {
    for (const entry of entries) {
      if (this.isStopped()) return;
      const event = this.decode(entry, 'error');
      if (event) {
        const applied = await applyWithRetry(this.handler, event, {
          group: this.group,
          logger: this.logger,
          delays: this.settings.retryDelays,
          sleeper: this.sleeper,
          isStopped: () => this.isStopped(),
        });
        if (!applied) return;
      }
      await this.redis.call('XACK', [this.stream, this.group, entry.id]);
    }
  }

  /** The entry's event, or undefined (logged) for one that is deleted or malformed: it must never block the stream. */
  private decode(entry: StreamEntry, level: 'error' | 'debug'): DomainEvent | undefined {
    if (!entry.fields) {
      this.logger[level]({ entryId: entry.id }, 'skipping a stream entry that no longer exists');
      return undefined;
    }
    try {
      return fromStreamFields(entry.fields);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      this.logger[level]({ entryId: entry.id, problem: error.message }, 'skipping a malformed stream entry');
      return undefined;
    }
  }

  /**
   * Applies every entry nobody in the group has acknowledged yet: those pending with any consumer and those
   * not yet delivered. Everything before them was applied by someone, so the scan is as long as the backlog,
   * and shorter still once this subscription's own catch-ups have passed a point. Applying is idempotent, so
   * racing the consumers that hold those entries is harmless.
   */
  private async catchUpNow(): Promise<void> {
    try {
      await this.catchUpOnce();
    } catch (error) {
      // Redis restarted empty (or was flushed): the stream and the group are gone until created again.
      if (!isMissingStreamOrGroup(error)) throw error;
      this.groupExists = false;
      await this.catchUpOnce();
    }
  }

  private async catchUpOnce(): Promise<void> {
    await this.ensureGroup();
    const unacknowledged = await this.firstUnacknowledged();
    let start = unacknowledged.inclusive ? unacknowledged.id : `(${unacknowledged.id}`;
    if (this.caughtUpThrough && compareStreamIds(this.caughtUpThrough, unacknowledged.id) >= 0) start = `(${this.caughtUpThrough}`;
    for (;;) {
      const entries = parseEntries(await this.redis.call('XRANGE', [this.stream, start, '+', 'COUNT', String(this.settings.batchSize)]));
      for (const entry of entries) {
        const event = this.decode(entry, 'debug');
        if (event) await this.handler.apply(event);
        this.caughtUpThrough = entry.id;
      }
      const last = entries.at(-1);
      if (!last || entries.length < this.settings.batchSize) return;
      start = `(${last.id}`;
    }
  }

  /**
   * The group's last-delivered id and its oldest pending entry, read atomically: entries before the oldest
   * pending one (or up to the last delivered one when none is pending) are acknowledged.
   */
  private async firstUnacknowledged(): Promise<StreamPosition> {
    const results = await this.redis.multi().call('XINFO', ['GROUPS', this.stream]).call('XPENDING', [this.stream, this.group]).exec();
    const [groupsResult, pendingResult] = results ?? [];
    if (!groupsResult || !pendingResult) throw new Error('reading the consumer group state was aborted');
    if (groupsResult[0]) throw groupsResult[0];
    if (pendingResult[0]) throw pendingResult[0];
    const [pendingCount, oldestPending] = asArray(pendingResult[1]);
    if (Number(pendingCount) > 0 && typeof oldestPending === 'string') return { id: oldestPending, inclusive: true };
    const group = asArray(groupsResult[1])
      .map(flatMap)
      .find((info) => info.get('name') === this.group);
    const lastDelivered = group?.get('last-delivered-id');
    if (typeof lastDelivered !== 'string') throw new Error(`NOGROUP consumer group ${this.group} is missing`);
    return { id: lastDelivered, inclusive: false };
  }

  /** A consumer that stops with nothing pending leaves the group, so restarts do not pile up dead names. */
  private async forgetConsumerIfIdle(consumer: string): Promise<void> {
    try {
      const pending = asArray(await this.redis.call('XPENDING', [this.stream, this.group, '-', '+', '1', consumer]));
      if (pending.length === 0) await this.redis.call('XGROUP', ['DELCONSUMER', this.stream, this.group, consumer]);
    } catch (error) {
      this.logger.debug({ err: error }, 'could not remove the idle consumer from the group');
    }
  }
}

/** The id right after `id`: XTRIM MINID keeps entries from here, dropping `id` itself. */
function nextStreamId(id: string): string {
  const [milliseconds, sequence] = parseStreamId(id);
  return `${milliseconds}-${sequence + 1n}`;
}

/**
 * Trimming and lag of the user events stream. Entries are trimmed only up to the oldest one some consumer group
 * has not acknowledged (its oldest pending entry, else the entry after its last delivered one).
 */
export function redisEventStreamMaintenance(redis: Redis, keyPrefix: string): EventStreamMaintenance {
  const stream = userEventStreamKey(keyPrefix);
  const groupsInfo = async (): Promise<Array<Map<string, unknown>>> => {
    try {
      return asArray(await redis.call('XINFO', ['GROUPS', stream])).map(flatMap);
    } catch (error) {
      if (/no such key/i.test(errorMessage(error))) return [];
      throw error;
    }
  };
  return {
    async trimAcknowledged() {
      let keepFrom: string | undefined;
      for (const info of await groupsInfo()) {
        const [pendingCount, oldestPending] = asArray(await redis.call('XPENDING', [stream, String(info.get('name'))]));
        const lastDelivered = String(info.get('last-delivered-id'));
        const firstUnacknowledged = Number(pendingCount) > 0 && typeof oldestPending === 'string' ? oldestPending : nextStreamId(lastDelivered);
        if (keepFrom === undefined || compareStreamIds(firstUnacknowledged, keepFrom) < 0) keepFrom = firstUnacknowledged;
      }
      if (keepFrom === undefined) return 0;
      return Number(await redis.call('XTRIM', [stream, 'MINID', keepFrom]));
    },
    async groupLag(groups) {
      const lags = new Map<string, number | undefined>(groups.map((group) => [group, undefined]));
      for (const info of await groupsInfo()) {
        const name = String(info.get('name'));
        const lag = info.get('lag');
        if (lags.has(name)) lags.set(name, typeof lag === 'number' ? lag : undefined);
      }
      return lags;
    },
  };
}
