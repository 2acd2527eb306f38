import type { DomainEvent, DomainEventHandler } from '@pyairtable/common/events';
import { normalizeEmail } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { Counter } from 'prom-client';
import type { UserEventStore, UserEventTransaction } from '../data/user-event-store.js';
import { successorOfDeletedOwner } from './workspace-policy.js';

/** The consumer group this subgraph reads account events in (replicas share it). */
export const EVENT_CONSUMER_GROUP = 'workspaces';

/**
 * Keeps this subgraph's view of accounts in step with the auth subgraph: the directory addWorkspaceMember
 * searches by email, and the memberships of deleted accounts. Each event is applied once, in one
 * transaction with the record that it was.
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
        case 'user.registered':
          await transaction.rememberAccount({
            userId: event.data.userId,
            email: normalizeEmail(event.data.email),
            registeredAt: new Date(event.data.registeredAt),
          });
          return;
        case 'user.deleted':
          await this.removeAccount(transaction, event.data.userId);
          return;
        case 'user.email_verified':
        case 'user.email_changed':
        case 'invitation.accepted':
          // Events this subgraph has no use for: recorded, so they are not offered again.
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
