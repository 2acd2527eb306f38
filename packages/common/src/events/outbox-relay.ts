import type { Logger } from '../observability/logger.js';
import type { DomainEvent } from './domain-events.js';
import { DrainLoop } from '../background/drain-loop.js';

/** Where events go once their transaction committed: the Redis stream, or the in-process bus when embedded. */
export interface EventPublisher {
  /** Appends the events in this order; resolves once they are durable where consumers read. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The owner's outbox table, seen by the relay. */
export interface OutboxSource {
  /**
   * Claims up to `limit` unpublished events, oldest first, skipping rows another relay has claimed; hands
   * them to `publish` and marks them published once it resolved. Returns how many it claimed. A crash between
   * publishing and marking leaves them unpublished, so they go out again: consumers ignore the duplicate.
   */
  publishBatch(limit: number, publish: (events: DomainEvent[]) => Promise<void>): Promise<number>;
}

export interface OutboxRelayOptions {
  /** How often the outbox is checked for events nobody flushed (e.g. written just before a crash). */
  pollIntervalMs?: number;
  batchSize?: number;
}

/**
 * Moves events from an outbox to a publisher: on `flush()` (called right after a committing write) and
 * every pollIntervalMs. Flushes of one relay never overlap, so it publishes in outbox order.
 */
export class OutboxRelay {
  private readonly loop: DrainLoop;
  private readonly batchSize: number;

  constructor(
    private readonly source: OutboxSource,
    private readonly publisher: EventPublisher,
    logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.loop = new DrainLoop(() => this.publishAll(), logger, { work: 'publishing domain events', pollIntervalMs: options.pollIntervalMs ?? 500 });
  }

  start(): void {
    this.loop.start();
  }

  /** Publishes every event written so far, now. Rejects when the outbox or the publisher fails. */
  flush(): Promise<void> {
    return this.loop.flush();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async publishAll(): Promise<void> {
    let claimed: number;
    do {
      claimed = await this.source.publishBatch(this.batchSize, (events) => this.publisher.publish(events));
    } while (claimed === this.batchSize && !this.loop.stopped);
  }
}
