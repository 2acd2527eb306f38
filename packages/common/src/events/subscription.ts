import type { DomainEvent } from './domain-events.js';

/**
 * A consumer's side of the event stream. `apply` must be idempotent: it records `event.id` in the
 * consumer's own processed-events table in the same transaction as its effect, and does nothing for an
 * id it has seen. The subscription acknowledges an event only after `apply` resolved.
 */
export interface DomainEventHandler {
  apply(event: DomainEvent): Promise<void>;
}

export interface EventSubscription {
  /** Starts consuming in the background: first what was delivered but not acknowledged, then new events. */
  start(): void;
  /**
   * Applies, now, every event already published that this consumer has not applied yet. Called on a read
   * miss (an account not known yet) so a client reads its own writes right after registering.
   */
  catchUp(): Promise<void>;
  /** Stops consuming; in-flight events finish first. */
  stop(): Promise<void>;
}

/** Subscribes a consumer group (one per subgraph; replicas share it) to the domain events. */
export type EventSubscriber = (group: string, handler: DomainEventHandler) => EventSubscription;
