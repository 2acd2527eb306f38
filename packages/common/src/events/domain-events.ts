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

/** The account's email was confirmed (a verification link, or an invitation link that auth accepted as proof). */
export interface UserEmailVerified {
  type: 'user.email_verified';
  data: { userId: string; email: string };
}

/** The account moved to a new email, confirmed from that address (so it is verified). */
export interface UserEmailChanged {
  type: 'user.email_changed';
  data: { userId: string; email: string; previousEmail: string };
}

/**
 * Published by the workspaces subgraph: an invitation sent to `email` was accepted with the token from its
 * mail, which proves the address; auth marks the account's email verified if it is still that address.
 */
export interface InvitationAccepted {
  type: 'invitation.accepted';
  data: { invitationId: string; workspaceId: string; userId: string; email: string; byToken: boolean };
}

export type DomainEventBody = UserRegistered | UserDeleted | UserEmailVerified | UserEmailChanged | InvitationAccepted;

export type DomainEventType = DomainEventBody['type'];

export type DomainEvent = DomainEventBody & {
  /** Unique per event: consumers record it to apply each event once. */
  id: string;
  occurredAt: string;
};
