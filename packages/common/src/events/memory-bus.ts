import type { Logger } from '../observability/logger.js';
import type { DomainEvent } from './domain-events.js';
import { Coalescer, DEFAULT_RETRY_DELAYS, InterruptibleSleep, type RetryDelays } from '../background/retry.js';
import { applyWithRetry } from './delivery.js';
import type { EventPublisher } from './outbox-relay.js';
import type { DomainEventHandler, EventSubscriber, EventSubscription } from './subscription.js';

/** One consumer group's progress through the bus's log: what it delivered, and what is not acknowledged. */
class MemoryConsumerGroup {
  /** Log positions before this one were delivered to a subscription. */
  private nextPosition = 0;
  private readonly unacknowledged = new Set<number>();
  /** Positions whose subscription stopped before applying them: delivered again first. */
  private readonly returned: number[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly log: readonly DomainEvent[]) {}

  take(): { position: number; event: DomainEvent } | undefined {
    const position = this.returned.shift() ?? (this.nextPosition < this.log.length ? this.nextPosition++ : undefined);
    const event = position === undefined ? undefined : this.log[position];
    if (position === undefined || !event) return undefined;
    this.unacknowledged.add(position);
    return { position, event };
  }

  acknowledge(position: number): void {
    this.unacknowledged.delete(position);
  }

  giveBack(position: number): void {
    this.returned.push(position);
    this.returned.sort((left, right) => left - right);
    this.notify();
  }

  /** Every position before this one is acknowledged. */
  firstUnacknowledged(): number {
    return Math.min(this.nextPosition, ...this.unacknowledged, ...this.returned);
  }

  waitForEvents(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  notify(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

class MemoryEventSubscription implements EventSubscription {
  private readonly sleeper = new InterruptibleSleep();
  private readonly catchUps = new Coalescer(() => this.catchUpNow());
  private loop: Promise<void> | undefined;
  private stopped = false;
  private caughtUpTo = 0;

  constructor(
    private readonly log: readonly DomainEvent[],
    private readonly consumers: MemoryConsumerGroup,
    private readonly group: string,
    private readonly handler: DomainEventHandler,
    private readonly logger: Logger,
    private readonly retryDelays: RetryDelays,
  ) {}

  start(): void {
    if (this.stopped) throw new Error('a stopped event subscription cannot start again');
    this.loop ??= this.consume();
  }

  catchUp(): Promise<void> {
    return this.catchUps.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.interrupt();
    this.consumers.notify();
    await this.loop;
    await this.catchUps.idle();
  }

  private async consume(): Promise<void> {
    while (!this.stopped) {
      const delivery = this.consumers.take();
      if (!delivery) {
        await this.consumers.waitForEvents();
        continue;
      }
      const applied = await applyWithRetry(this.handler, delivery.event, {
        group: this.group,
        logger: this.logger,
        delays: this.retryDelays,
        sleeper: this.sleeper,
        isStopped: () => this.stopped,
      });
      if (applied) this.consumers.acknowledge(delivery.position);
      else this.consumers.giveBack(delivery.position);
    }
  }

  private async catchUpNow(): Promise<void> {
    for (let position = Math.max(this.caughtUpTo, this.consumers.firstUnacknowledged()); position < this.log.length; position += 1) {
      const event = this.log[position];
      if (event) await this.handler.apply(event);
      this.caughtUpTo = position + 1;
    }
  }
}

/**
 * The event stream in process memory, for the embedded development mode where no Redis runs: a publisher
 * for the outbox relay and a subscriber with the Redis one's semantics (consumer groups that each see every
 * event, acknowledgement after apply, retries with backoff, catch-up for read-your-writes). Nothing survives
 * a restart; the outbox and the consumers' processed-events tables make that safe.
 */
export class MemoryEventBus implements EventPublisher {
  private readonly log: DomainEvent[] = [];
  private readonly groups = new Map<string, MemoryConsumerGroup>();

  constructor(
    private readonly logger: Logger,
    private readonly retryDelays: RetryDelays = DEFAULT_RETRY_DELAYS,
  ) {}

  publish(events: readonly DomainEvent[]): Promise<void> {
    this.log.push(...events);
    for (const group of this.groups.values()) group.notify();
    return Promise.resolve();
  }

  readonly subscriber: EventSubscriber = (group, handler) => {
    let consumers = this.groups.get(group);
    if (!consumers) {
      consumers = new MemoryConsumerGroup(this.log);
      this.groups.set(group, consumers);
    }
    return new MemoryEventSubscription(this.log, consumers, group, handler, this.logger.child({ group }), this.retryDelays);
  };
}
