import type { Logger } from '../observability/logger.js';
import type { DomainEvent } from './domain-events.js';
import { Coalescer } from './delivery.js';

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
  private readonly flushes = new Coalescer(() => this.publishAll());
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private consecutiveFailures = 0;

  constructor(
    private readonly source: OutboxSource,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 100;
  }

  start(): void {
    if (this.stopped || this.timer) return;
    this.schedulePoll();
  }

  /** Publishes every event written so far, now. Rejects when the outbox or the publisher fails. */
  flush(): Promise<void> {
    return this.flushes.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.flushes.idle();
  }

  private schedulePoll(): void {
    this.timer = setTimeout(() => {
      this.flush()
        .then(
          () => {
            if (this.consecutiveFailures > 0) this.logger.info('publishing domain events works again');
            this.consecutiveFailures = 0;
          },
          (error: unknown) => {
            // One line per outage, not one per poll.
            if (this.consecutiveFailures === 0) this.logger.error({ err: error }, 'publishing domain events failed; will keep trying');
            this.consecutiveFailures += 1;
          },
        )
        .finally(() => {
          if (!this.stopped) this.schedulePoll();
        });
    }, this.pollIntervalMs);
    this.timer.unref();
  }

  private async publishAll(): Promise<void> {
    let claimed: number;
    do {
      claimed = await this.source.publishBatch(this.batchSize, (events) => this.publisher.publish(events));
    } while (claimed === this.batchSize && !this.stopped);
  }
}
