import { isRecordNotFound } from '@pyairtable/common/data';
import type { DomainEvent, EventInbox } from '@pyairtable/common/events';
import { afterPosition, type PageRequest } from '@pyairtable/common/graphql';
import type { Prisma, Profile } from '../generated/prisma/client.js';
import type { UsersDatabase } from './database.js';

export type { Profile };

/** Fields updateMe/updateUser may change; a field left out stays as it is, null clears it. */
export interface ProfileChanges {
  displayName?: string;
  avatarUrl?: string | null;
  bio?: string | null;
  timezone?: string | null;
}

export interface NewProfile {
  id: string;
  email: string;
  displayName: string;
  registeredAt: Date;
}

/** What applying an event did: its effect, nothing (seen before), nothing (a later deletion won), or nothing (no use here). */
export type EventOutcome = 'applied' | 'duplicate' | 'superseded' | 'ignored';

function matchingProfiles(search: string | null): Prisma.ProfileWhereInput {
  // Prisma's `contains` is a LIKE that leaves wildcards alone: a "%" typed by the caller must match a "%".
  const term = search?.replace(/[\\%_]/g, '\\$&');
  if (!term) return {};
  return { OR: [{ email: { contains: term, mode: 'insensitive' } }, { displayName: { contains: term, mode: 'insensitive' } }] };
}

export class ProfileStore {
  constructor(
    private readonly database: UsersDatabase,
    private readonly inbox: EventInbox,
  ) {}

  findManyByIds(ids: readonly string[]): Promise<Profile[]> {
    return this.database.profile.findMany({ where: { id: { in: [...ids] } } });
  }

  /** A page of profiles, newest registration first, ties by id; `search` matches email or display name. */
  findPage(page: PageRequest, search: string | null): Promise<Profile[]> {
    return this.database.profile.findMany({
      where: { AND: [matchingProfiles(search), afterPosition(page.after, 'registeredAt')] },
      orderBy: [{ registeredAt: 'desc' }, { id: 'desc' }],
      take: page.first + 1,
    });
  }

  /** How many profiles `search` matches (all of them without one). */
  count(search: string | null): Promise<number> {
    return this.database.profile.count({ where: matchingProfiles(search) });
  }

  /** The updated profile, or null when there is none with this id. */
  async update(id: string, changes: ProfileChanges): Promise<Profile | null> {
    try {
      return await this.database.profile.update({ where: { id }, data: changes });
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * user.registered, once: records the event and creates the profile in one transaction. A user whose
   * user.deleted was applied first (two replicas can apply a user's events out of order) stays deleted.
   */
  createFromEvent(event: DomainEvent, profile: NewProfile): Promise<EventOutcome> {
    return this.database.$transaction(async (transaction) => {
      if (!(await this.inbox.record(transaction, event, profile.id))) return 'duplicate';
      if (await this.inbox.hasApplied(transaction, 'user.deleted', profile.id)) return 'superseded';
      await transaction.profile.createMany({ data: [profile], skipDuplicates: true });
      return 'applied';
    });
  }

  /** user.deleted, once: records the event (which also blocks a late registration) and removes the profile. */
  deleteFromEvent(event: DomainEvent, userId: string): Promise<EventOutcome> {
    return this.database.$transaction(async (transaction) => {
      if (!(await this.inbox.record(transaction, event, userId))) return 'duplicate';
      await transaction.profile.deleteMany({ where: { id: userId } });
      return 'applied';
    });
  }

  /**
   * user.email_changed, once: records the event and updates the profile's copy of the email. A profile that is
   * gone (deleted) stays gone.
   */
  changeEmailFromEvent(event: DomainEvent, userId: string, email: string): Promise<EventOutcome> {
    return this.database.$transaction(async (transaction) => {
      if (!(await this.inbox.record(transaction, event, userId))) return 'duplicate';
      const { count } = await transaction.profile.updateMany({ where: { id: userId }, data: { email } });
      return count === 1 ? 'applied' : 'superseded';
    });
  }
}
