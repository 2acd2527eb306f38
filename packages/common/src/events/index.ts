/** Domain events across subgraphs: the outbox relay, Redis Streams consumer groups and the in-memory bus. */
export * from './domain-events.js';
export * from './subscription.js';
export * from './event-format.js';
export * from './outbox-relay.js';
export * from './sql-outbox.js';
export * from './redis-streams.js';
export * from './memory-bus.js';
export * from './metrics.js';
export type { RetryDelays } from '../background/retry.js';
export * from './inbox.js';
export * from './catch-up.js';
export * from './housekeeping.js';
