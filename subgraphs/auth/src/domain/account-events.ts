import type { UserDeleted, UserEmailChanged, UserEmailVerified, UserRegistered } from '@pyairtable/common/events';

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

export function userEmailVerified(user: { id: string; email: string }): UserEmailVerified {
  return { type: 'user.email_verified', data: { userId: user.id, email: user.email } };
}

export function userEmailChanged(user: { id: string; email: string }, previousEmail: string): UserEmailChanged {
  return { type: 'user.email_changed', data: { userId: user.id, email: user.email, previousEmail } };
}
