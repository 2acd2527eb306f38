import type { UserDeleted, UserRegistered } from '@pyairtable/common/events';

/** The account events the auth subgraph announces: built here, in the domain, and written by the stores to the outbox. */
export function userRegistered(account: { userId: string; email: string; displayName: string | null; registeredAt: Date }): UserRegistered {
  return {
    type: 'user.registered',
    data: { userId: account.userId, email: account.email, displayName: account.displayName, registeredAt: account.registeredAt.toISOString() },
  };
}

export function userDeleted(userId: string): UserDeleted {
  return { type: 'user.deleted', data: { userId } };
}
