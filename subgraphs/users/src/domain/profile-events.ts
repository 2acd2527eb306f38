import type { DomainEvent, DomainEventHandler } from '@pyairtable/common/events';
import type { Counter } from 'prom-client';
import type { EventOutcome, ProfileStore } from '../data/profile-store.js';
import { DISPLAY_NAME_MAX_LENGTH } from './profile-input.js';

/** The users subgraph's consumer group: its replicas share it, so each event is applied by one of them. */
export const EVENT_CONSUMER_GROUP = 'users';

/** The name a profile starts with when none was given at registration: the email's local part. */
export function defaultDisplayName(email: string): string {
  const localPart = email.slice(0, email.lastIndexOf('@')).trim() || email;
  return Array.from(localPart).slice(0, DISPLAY_NAME_MAX_LENGTH).join('');
}

/**
 * Keeps profiles in step with accounts: user.registered creates one, user.email_changed updates its copy of the
 * email (what users(search) matches), user.deleted removes it. Idempotent.
 */
export class ProfileEventHandler implements DomainEventHandler {
  constructor(
    private readonly profiles: ProfileStore,
    private readonly outcomes: Counter<'type' | 'outcome'>,
  ) {}

  async apply(event: DomainEvent): Promise<void> {
    const outcome = await this.applyOnce(event);
    this.outcomes.inc({ type: event.type, outcome });
  }

  private applyOnce(event: DomainEvent): Promise<EventOutcome> {
    switch (event.type) {
      case 'user.registered': {
        const { userId, email, displayName, registeredAt } = event.data;
        return this.profiles.createFromEvent(event, {
          id: userId,
          email,
          displayName: displayName ?? defaultDisplayName(email),
          registeredAt: new Date(registeredAt),
        });
      }
      case 'user.deleted':
        return this.profiles.deleteFromEvent(event, event.data.userId);
      case 'user.email_changed':
        return this.profiles.changeEmailFromEvent(event, event.data.userId, event.data.email);
      case 'user.email_verified':
      case 'invitation.accepted':
        // Nothing a profile keeps: not recorded, since applying it again changes nothing either.
        return Promise.resolve('ignored');
    }
  }
}
