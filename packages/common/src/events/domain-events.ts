/**
 * Events that carry one subgraph's data to the others (API.md, "Data that crosses subgraphs"). The owner
 * writes them to its outbox in the same transaction as the change; a relay publishes them to a Redis
 * Stream; consumers apply each once (idempotently), in order per user.
 */
export interface UserRegistered {
  type: 'user.registered';
  data: { userId: string; email: string; displayName: string | null; registeredAt: string };
}

export interface UserDeleted {
  type: 'user.deleted';
  data: { userId: string };
}

export type DomainEventBody = UserRegistered | UserDeleted;

export type DomainEvent = DomainEventBody & {
  /** Unique per event: consumers record it to apply each event once. */
  id: string;
  occurredAt: string;
};
