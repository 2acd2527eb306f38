import type { DomainEvent, EventInbox } from '@pyairtable/common/events';
import type { Prisma, Membership } from '../generated/prisma/client.js';
import type { WorkspacesDatabase } from './database.js';
import { LockedWorkspace, lockWorkspaces } from './workspace-store.js';

export interface DirectoryEntry {
  userId: string;
  email: string;
  displayName: string;
  registeredAt: Date;
}

/** What applying one account event may change, all inside the transaction that records the event. */
export class UserEventTransaction {
  constructor(private readonly transaction: Prisma.TransactionClient) {}

  /** Adds the account, its email not verified yet; an older entry with the same email (an account deleted meanwhile) makes way. */
  async rememberAccount({ userId, email, displayName, registeredAt }: DirectoryEntry): Promise<void> {
    await this.transaction.directoryUser.deleteMany({ where: { email, id: { not: userId } } });
    await this.transaction.directoryUser.upsert({
      where: { id: userId },
      create: { id: userId, email, displayName, registeredAt, emailVerified: false },
      update: { email, displayName, registeredAt, emailVerified: false },
    });
  }

  /** Marks the account's email verified, if it still has that email (a later change would have moved it). */
  async markEmailVerified(userId: string, email: string): Promise<void> {
    await this.transaction.directoryUser.updateMany({ where: { id: userId, email }, data: { emailVerified: true } });
  }

  /**
   * Moves the account to its new, confirmed email; an older entry with that email (an account deleted meanwhile)
   * makes way. An account this subgraph never heard of stays unknown.
   */
  async changeEmail(userId: string, email: string): Promise<void> {
    await this.transaction.directoryUser.deleteMany({ where: { email, id: { not: userId } } });
    await this.transaction.directoryUser.updateMany({ where: { id: userId }, data: { email, emailVerified: true } });
  }

  async forgetAccount(userId: string): Promise<void> {
    await this.transaction.directoryUser.deleteMany({ where: { id: userId } });
  }

  membershipsOf(userId: string): Promise<Membership[]> {
    return this.transaction.membership.findMany({ where: { userId } });
  }

  /** Row-locks the workspaces, in id order; answers those that exist. */
  async lockWorkspaces(workspaceIds: readonly string[]): Promise<LockedWorkspace[]> {
    const locked = await lockWorkspaces(this.transaction, workspaceIds);
    return locked.map((id) => new LockedWorkspace(this.transaction, id));
  }

  async removeMemberships(userId: string): Promise<void> {
    await this.transaction.membership.deleteMany({ where: { userId } });
  }
}

export class UserEventStore {
  constructor(
    private readonly database: WorkspacesDatabase,
    private readonly inbox: EventInbox,
  ) {}

  /**
   * Applies an event about `userId` at most once: it is recorded in the inbox in the same transaction as its
   * effect, and one already recorded makes this a no-op (answering false).
   */
  applyOnce(event: DomainEvent, userId: string, apply: (transaction: UserEventTransaction) => Promise<void>): Promise<boolean> {
    return this.database.$transaction(async (transaction) => {
      if (!(await this.inbox.record(transaction, event, userId))) return false;
      await apply(new UserEventTransaction(transaction));
      return true;
    });
  }
}
