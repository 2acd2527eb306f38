// Accounts: credentials, roles and the verified state of their email, with the events and mail their changes cause.
import { translateDatabaseErrors } from '@pyairtable/common/data';
import type { DomainEvent, DomainEventBody, EventInbox } from '@pyairtable/common/events';
import type { AccountTokenPurpose, Prisma, User, UserRole } from '../generated/prisma/client.js';
import type { AuthDatabase } from './database.js';
import { sessionRecord } from './session-store.js';
import type { SideEffectWriter, SideEffects } from './side-effects.js';

export interface NewSession {
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  refreshTokenHash: string;
}

/** The token of a mailed link, as stored: only its hash, for one purpose and the address it was sent to. */
export interface NewAccountToken {
  purpose: AccountTokenPurpose;
  tokenHash: string;
  email: string;
  expiresAt: Date;
}

/** What applying a consumed event did: its effect, nothing (seen before), or nothing (it no longer applies). */
export type EventOutcome = 'applied' | 'duplicate' | 'unchanged';

export class LastAdminError extends Error {}

/**
 * Marks the user's email verified if it is still `email` and was not verified yet; the user when this did it,
 * null otherwise. The email condition keeps proof of an old address from verifying a new one.
 */
export async function markEmailVerified(transaction: Prisma.TransactionClient, userId: string, email: string): Promise<User | null> {
  const [verified] = await transaction.user.updateManyAndReturn({
    where: { id: userId, email, emailVerifiedAt: null },
    data: { emailVerifiedAt: new Date() },
  });
  return verified ?? null;
}

/** Serialises every change that could leave the platform without an ADMIN. */
const ADMIN_GUARD_LOCK = 'pyairtable_auth.admin_guard';

export class UserStore {
  constructor(
    private readonly database: AuthDatabase,
    private readonly sideEffects: SideEffectWriter,
    private readonly inbox: EventInbox,
  ) {}

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
   * The account, its first session, its link tokens (email verification) and what it causes (user.registered,
   * the verification mail) in one transaction: all exist or none does (a taken email leaves no event and
   * sends no mail).
   */
  async createWithSession(
    account: { id: string; email: string; passwordHash: string; role: UserRole; createdAt: Date },
    session: NewSession,
    { tokens, ...effects }: SideEffects & { tokens: readonly NewAccountToken[] },
  ) {
    const user = await translateDatabaseErrors({ conflict: 'An account with this email already exists' }, () =>
      this.database.$transaction(async (transaction) => {
        const created = await transaction.user.create({
          data: { ...account, sessions: { create: sessionRecord(session) }, accountTokens: { create: [...tokens] } },
          include: { sessions: { select: { id: true } } },
        });
        await this.sideEffects.write(transaction, effects);
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
      await this.sideEffects.write(transaction, { events });
      return { sessionIds: user.sessions.map((session) => session.id) };
    });
  }

  /**
   * Applies an event that proves `email` belongs to the user (an invitation accepted by its mailed token),
   * once: records it in the inbox and marks the email verified if it is still the account's and unverified,
   * writing what `whenVerified` decides in the same transaction.
   */
  verifyEmailFromEvent(event: DomainEvent, userId: string, email: string, whenVerified: (user: User) => SideEffects): Promise<EventOutcome> {
    return this.database.$transaction(async (transaction) => {
      if (!(await this.inbox.record(transaction, event, userId))) return 'duplicate';
      const verified = await markEmailVerified(transaction, userId, email);
      if (!verified) return 'unchanged';
      await this.sideEffects.write(transaction, whenVerified(verified));
      return 'applied';
    });
  }
}
