import { isRecordNotFound } from '@pyairtable/common/data';
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

/** What applying an event did: its effect, nothing (seen before), or nothing (a later deletion won). */
export type EventOutcome = 'applied' | 'duplicate' | 'superseded';

const USER_DELETED = 'user.deleted';

export class ProfileStore {
  constructor(private readonly database: UsersDatabase) {}

  findManyByIds(ids: readonly string[]): Promise<Profile[]> {
    return this.database.profile.findMany({ where: { id: { in: [...ids] } } });
  }

  /** A page of profiles, newest registration first, ties by id; `search` matches email or display name. */
  async findPage(page: PageRequest, search: string | null): Promise<{ rows: Profile[]; totalCount: number }> {
    // Prisma's `contains` is a LIKE that leaves wildcards alone: a "%" typed by the caller must match a "%".
    const term = search?.replace(/[\\%_]/g, '\\$&');
    const matching: Prisma.ProfileWhereInput = term
      ? {
          OR: [
            { email: { contains: term, mode: 'insensitive' } },
            { displayName: { contains: term, mode: 'insensitive' } },
          ],
        }
      : {};
    const [rows, totalCount] = await Promise.all([
      this.database.profile.findMany({
        where: { AND: [matching, afterPosition(page.after, 'registeredAt')] },
        orderBy: [{ registeredAt: 'desc' }, { id: 'desc' }],
        take: page.first + 1,
      }),
      this.database.profile.count({ where: matching }),
    ]);
    return { rows, totalCount };
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
  createFromEvent(eventId: string, profile: NewProfile): Promise<EventOutcome> {
    return this.database.$transaction(async (transaction) => {
      if (!(await recordEvent(transaction, eventId, 'user.registered', profile.id))) return 'duplicate';
      const deletion = await transaction.processedEvent.findFirst({ where: { userId: profile.id, type: USER_DELETED }, select: { eventId: true } });
      if (deletion) return 'superseded';
      await transaction.profile.createMany({ data: [profile], skipDuplicates: true });
      return 'applied';
    });
  }

  /** user.deleted, once: records the event (which also blocks a late registration) and removes the profile. */
  deleteFromEvent(eventId: string, userId: string): Promise<EventOutcome> {
    return this.database.$transaction(async (transaction) => {
      if (!(await recordEvent(transaction, eventId, USER_DELETED, userId))) return 'duplicate';
      await transaction.profile.deleteMany({ where: { id: userId } });
      return 'applied';
    });
  }
}

/**
 * Records an event as processed; false when it already was. Two consumers racing on one event both insert:
 * the second waits for the first's commit, then inserts nothing.
 */
async function recordEvent(transaction: Prisma.TransactionClient, eventId: string, type: string, userId: string): Promise<boolean> {
  const { count } = await transaction.processedEvent.createMany({ data: [{ eventId, type, userId }], skipDuplicates: true });
  return count === 1;
}
