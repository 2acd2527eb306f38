// Auth as a consumer of other subgraphs' events: an invitation accepted with its mailed token proves the address.
import type { DomainEvent, DomainEventHandler } from '@pyairtable/common/events';
import { normalizeEmail } from '@pyairtable/common/identity';
import type { Counter } from 'prom-client';
import type { UserStore } from '../data/user-store.js';
import { userEmailVerified } from './account-events.js';

/** The auth subgraph's consumer group: its replicas share it, so each event is applied by one of them. */
export const EVENT_CONSUMER_GROUP = 'auth';

/**
 * invitation.accepted by token: the invitation's mail reached its address, so if that is still the account's
 * email and it is unverified, it becomes verified (and user.email_verified is announced). Applied once, through
 * the inbox. Every other event is none of auth's business and is not recorded.
 */
export class InvitationEventHandler implements DomainEventHandler {
  constructor(
    private readonly users: UserStore,
    private readonly outcomes: Counter<'type' | 'outcome'>,
    private readonly publishEvents: () => Promise<void>,
  ) {}

  async apply(event: DomainEvent): Promise<void> {
    if (event.type !== 'invitation.accepted' || !event.data.byToken) {
      this.outcomes.inc({ type: event.type, outcome: 'ignored' });
      return;
    }
    const { userId, email } = event.data;
    const outcome = await this.users.verifyEmailFromEvent(event, userId, normalizeEmail(email), (user) => ({ events: [userEmailVerified(user)] }));
    this.outcomes.inc({ type: event.type, outcome });
    if (outcome === 'applied') await this.publishEvents();
  }
}
