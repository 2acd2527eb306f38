import { translateDatabaseErrors } from '@pyairtable/common/data';
import type { DomainEventBody } from '@pyairtable/common/events';
import type { UserRole } from '../generated/prisma/client.js';
import type { AuthDatabase } from './database.js';
import { appendToOutbox } from './outbox.js';

export interface NewSession {
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  refreshTokenHash: string;
}

export class LastAdminError extends Error {}

/** Serialises every change that could leave the platform without an ADMIN. */
const ADMIN_GUARD_LOCK = 'pyairtable_auth.admin_guard';

export class UserStore {
  constructor(private readonly database: AuthDatabase) {}

  findById(id: string) {
    return this.database.user.findUnique({ where: { id } });
  }

  findManyByIds(ids: readonly string[]) {
    return this.database.user.findMany({ where: { id: { in: [...ids] } } });
  }

  findByEmail(email: string) {
    return this.database.user.findUnique({ where: { email } });
  }

  /**
   * The account, its first session and its events (user.registered) in one transaction: all exist or none
   * does (a taken email leaves no event behind).
   */
  async createWithSession(
    account: { id: string; email: string; passwordHash: string; role: UserRole; createdAt: Date },
    session: NewSession,
    events: readonly DomainEventBody[],
  ) {
    const user = await translateDatabaseErrors({ conflict: 'An account with this email already exists' }, () =>
      this.database.$transaction(async (transaction) => {
        const created = await transaction.user.create({
          data: {
            ...account,
            sessions: {
              create: {
                expiresAt: session.expiresAt,
                userAgent: session.userAgent,
                ipAddress: session.ipAddress,
                refreshTokens: { create: { tokenHash: session.refreshTokenHash, expiresAt: session.expiresAt } },
              },
            },
          },
          include: { sessions: { select: { id: true } } },
        });
        for (const event of events) await appendToOutbox(transaction, event);
        return created;
      }),
    );
    const [firstSession] = user.sessions;
    if (!firstSession) throw new Error('session was not created with the account');
    return { user, sessionId: firstSession.id };
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await translateDatabaseErrors({ notFound: 'User not found' }, () => this.database.user.update({ where: { id }, data: { passwordHash } }));
  }

  /** Changes a role unless that would remove the last ADMIN (LastAdminError); concurrent demotions queue. */
  setRole(id: string, role: UserRole) {
    return this.database.$transaction(async (transaction) => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ADMIN_GUARD_LOCK}))`;
      const user = await transaction.user.findUnique({ where: { id } });
      if (!user) return null;
      if (user.role === 'ADMIN' && role !== 'ADMIN' && (await transaction.user.count({ where: { role: 'ADMIN' } })) <= 1) {
        throw new LastAdminError();
      }
      return transaction.user.update({ where: { id }, data: { role } });
    });
  }

  /**
   * Deletes the account with its sessions and refresh tokens, and writes its events (user.deleted) in the
   * same transaction; returns the ids of the sessions that went.
   */
  delete(id: string, events: readonly DomainEventBody[]) {
    return this.database.$transaction(async (transaction) => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ADMIN_GUARD_LOCK}))`;
      const user = await transaction.user.findUnique({ where: { id }, include: { sessions: { select: { id: true } } } });
      if (!user) return null;
      if (user.role === 'ADMIN' && (await transaction.user.count({ where: { role: 'ADMIN' } })) <= 1) {
        throw new LastAdminError();
      }
      await transaction.user.delete({ where: { id } });
      for (const event of events) await appendToOutbox(transaction, event);
      return { sessionIds: user.sessions.map((session) => session.id) };
    });
  }
}
