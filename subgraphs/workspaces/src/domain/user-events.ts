import type { DomainEvent, DomainEventHandler } from '@pyairtable/common/events';
import { normalizeEmail } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { Counter } from 'prom-client';
import type { UserEventStore, UserEventTransaction } from '../data/user-event-store.js';
import { successorOfDeletedOwner } from './workspace-policy.js';

/** The consumer group this subgraph reads account events in (replicas share it). */
export const EVENT_CONSUMER_GROUP = 'workspaces';

const DISPLAY_NAME_MAX_LENGTH = 100;

/**
 * The name an account registered without one goes by: its email's local part, the rule the users subgraph
 * gives its profile, so an invitation names its sender as the sender's profile does.
 */
export function defaultDisplayName(email: string): string {
  const localPart = email.slice(0, email.lastIndexOf('@')).trim() || email;
  return Array.from(localPart).slice(0, DISPLAY_NAME_MAX_LENGTH).join('');
}

/**
 * Keeps this subgraph's view of accounts in step with the auth subgraph: the directory (email, whether it is
 * verified, display name) that addWorkspaceMember and invitations read, and the memberships of deleted
 * accounts. Each event is applied once, in one transaction with the record that it was.
 */
export class UserEventHandler implements DomainEventHandler {
  constructor(
    private readonly store: UserEventStore,
    private readonly outcomes: Counter<'type' | 'outcome'>,
    private readonly logger: Logger,
  ) {}

  async apply(event: DomainEvent): Promise<void> {
    const applied = await this.store.applyOnce(event, event.data.userId, async (transaction) => {
      switch (event.type) {
        case 'user.registered': {
          const email = normalizeEmail(event.data.email);
          await transaction.rememberAccount({
            userId: event.data.userId,
            email,
            displayName: event.data.displayName ?? defaultDisplayName(email),
            registeredAt: new Date(event.data.registeredAt),
          });
          return;
        }
        case 'user.email_verified':
          await transaction.markEmailVerified(event.data.userId, normalizeEmail(event.data.email));
          return;
        case 'user.email_changed':
          await transaction.changeEmail(event.data.userId, normalizeEmail(event.data.email));
          return;
        case 'user.deleted':
          await this.removeAccount(transaction, event.data.userId);
          return;
        case 'invitation.accepted':
          // This subgraph's own event: the acceptance already changed everything here. Recorded, so it is not offered again.
          return;
      }
    });
    this.outcomes.inc({ type: event.type, outcome: applied ? 'applied' : 'duplicate' });
    this.logger.debug({ eventId: event.id, type: event.type, applied }, applied ? 'applied event' : 'event already applied');
  }

  /**
   * Removes the account's memberships; each workspace it owned passes to its longest-standing ADMIN, or
   * is deleted when it has none.
   */
  private async removeAccount(transaction: UserEventTransaction, userId: string): Promise<void> {
    // Workspaces are locked before the directory entry goes, the order addWorkspaceMember takes them in.
    const known = await transaction.lockWorkspaces((await transaction.membershipsOf(userId)).map((m) => m.workspaceId));
    await transaction.forgetAccount(userId);
    // Without the directory entry no membership can be added any more; re-read to see any added meanwhile.
    const memberships = await transaction.membershipsOf(userId);
    const knownIds = new Set(known.map((workspace) => workspace.id));
    const late = await transaction.lockWorkspaces(memberships.map((m) => m.workspaceId).filter((id) => !knownIds.has(id)));
    const locked = new Map([...known, ...late].map((workspace) => [workspace.id, workspace]));

    for (const { workspaceId } of memberships.filter((membership) => membership.role === 'OWNER')) {
      const workspace = locked.get(workspaceId);
      if (!workspace) continue;
      const successor = successorOfDeletedOwner(await workspace.members());
      if (successor) {
        await workspace.setRole(successor, 'OWNER');
        this.logger.info({ workspaceId, from: userId, to: successor }, 'owner deleted: ownership passed to the longest-standing ADMIN');
      } else {
        await workspace.delete();
        this.logger.info({ workspaceId, owner: userId }, 'owner deleted and no ADMIN to take over: workspace deleted');
      }
    }
    await transaction.removeMemberships(userId);
  }
}
