// The tokens of mailed links (verify an email, reset a password, confirm an email change) and the changes they allow.
import { translateDatabaseErrors } from '@pyairtable/common/data';
import type { AccountTokenPurpose, Prisma, User } from '../generated/prisma/client.js';
import type { AuthDatabase } from './database.js';
import { sessionRecord } from './session-store.js';
import type { SideEffectWriter, SideEffects } from './side-effects.js';
import { markEmailVerified, type NewAccountToken, type NewSession } from './user-store.js';

/** Stands in for a user id when there is no account, so an unknown email runs the same statements. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** What a consumed token vouches for: whose it was and the address its link was mailed to. */
interface ConsumedToken {
  userId: string;
  email: string;
}

export interface PasswordResetResult {
  user: User;
  /** The session the reset signs in with. */
  sessionId: string;
  /** Every session the user had: all revoked. */
  revokedSessionIds: string[];
}

export class AccountTokenStore {
  constructor(
    private readonly database: AuthDatabase,
    private readonly sideEffects: SideEffectWriter,
  ) {}

  /**
   * Uses a token up: one UPDATE … WHERE unused AND unexpired … RETURNING, so of two concurrent uses exactly one
   * gets it (the other waits for its commit, then matches nothing). Null for an unknown, used or expired token.
   */
  private async consume(transaction: Prisma.TransactionClient, tokenHash: string, purpose: AccountTokenPurpose): Promise<ConsumedToken | null> {
    const now = new Date();
    const [consumed] = await transaction.accountToken.updateManyAndReturn({
      where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { userId: true, email: true },
    });
    return consumed ?? null;
  }

  /** Replaces the user's unused tokens of the token's purpose with it (only the newest link works). */
  private async replaceUnused(transaction: Prisma.TransactionClient, userId: string, token: NewAccountToken): Promise<void> {
    await transaction.accountToken.deleteMany({ where: { userId, purpose: token.purpose, usedAt: null } });
  }

  /** Issues `token` to the user, with the mail that carries it, in one transaction. */
  issue(userId: string, token: NewAccountToken, effects: SideEffects): Promise<void> {
    return this.database.$transaction(async (transaction) => {
      await this.replaceUnused(transaction, userId, token);
      await transaction.accountToken.create({ data: { ...token, userId } });
      await this.sideEffects.write(transaction, effects);
    });
  }

  /**
   * Issues `token` to the account whose email is the token's, if there is one, and writes `effects` only then;
   * true when it did. An unknown email runs the same lookup and deletion, so both answers take about as long.
   */
  issueToEmail(token: NewAccountToken, effects: SideEffects): Promise<boolean> {
    return this.database.$transaction(async (transaction) => {
      const user = await transaction.user.findUnique({ where: { email: token.email }, select: { id: true } });
      await this.replaceUnused(transaction, user?.id ?? NO_USER, token);
      if (!user) return false;
      await transaction.accountToken.create({ data: { ...token, userId: user.id } });
      await this.sideEffects.write(transaction, effects);
      return true;
    });
  }

  /**
   * Consumes a verify_email token and marks its address verified, writing what `whenVerified` decides if this
   * verified it. The user, or null when the token is unknown, used or expired, or no longer the account's address.
   */
  verifyEmail(tokenHash: string, whenVerified: (user: User) => SideEffects): Promise<User | null> {
    return this.database.$transaction(async (transaction) => {
      const token = await this.consume(transaction, tokenHash, 'verify_email');
      if (!token) return null;
      const verified = await markEmailVerified(transaction, token.userId, token.email);
      if (verified) {
        await this.sideEffects.write(transaction, whenVerified(verified));
        return verified;
      }
      const user = await transaction.user.findUnique({ where: { id: token.userId } });
      return user?.email === token.email ? user : null;
    });
  }

  /**
   * Consumes a reset_password token: sets the password, revokes every session of the user, starts `session`,
   * and marks the address verified (the mail reached it), all in one transaction. Null for an unknown, used
   * or expired token.
   */
  resetPassword(
    tokenHash: string,
    change: { passwordHash: string; session: NewSession },
    whenVerified: (user: User) => SideEffects,
  ): Promise<PasswordResetResult | null> {
    return this.database.$transaction(async (transaction) => {
      const token = await this.consume(transaction, tokenHash, 'reset_password');
      if (!token) return null;
      const verified = await markEmailVerified(transaction, token.userId, token.email);
      if (verified) await this.sideEffects.write(transaction, whenVerified(verified));
      const revoked = await transaction.session.updateManyAndReturn({
        where: { userId: token.userId, revokedAt: null },
        data: { revokedAt: new Date(), revokedReason: 'password-reset' },
        select: { id: true },
      });
      const user = await transaction.user.update({ where: { id: token.userId }, data: { passwordHash: change.passwordHash } });
      const session = await transaction.session.create({ data: { userId: user.id, ...sessionRecord(change.session) }, select: { id: true } });
      return { user, sessionId: session.id, revokedSessionIds: revoked.map(({ id }) => id) };
    });
  }

  /**
   * Consumes a change_email token: moves the account to the address it was mailed to (verified, since the link
   * reached it), drops the user's other unused links (they went to the old address), and writes what
   * `whenChanged` decides, in one transaction. Null for an unknown, used or expired token; CONFLICT when another
   * account has the address by now (nothing changes, and the token stays unused).
   */
  changeEmail(tokenHash: string, whenChanged: (user: User, previousEmail: string) => SideEffects): Promise<User | null> {
    return translateDatabaseErrors({ conflict: 'An account with this email already exists' }, () =>
      this.database.$transaction(async (transaction) => {
        const token = await this.consume(transaction, tokenHash, 'change_email');
        if (!token) return null;
        const previous = await transaction.user.findUnique({ where: { id: token.userId }, select: { email: true } });
        if (!previous) return null;
        const user = await transaction.user.update({
          where: { id: token.userId },
          data: { email: token.email, emailVerifiedAt: new Date() },
        });
        await transaction.accountToken.deleteMany({ where: { userId: user.id, usedAt: null } });
        await this.sideEffects.write(transaction, whenChanged(user, previous.email));
        return user;
      }),
    );
  }
}
