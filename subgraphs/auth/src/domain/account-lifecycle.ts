// The rules of the mailed-link flows: confirming an email, resetting a forgotten password, moving to a new email.
import { ERRORS, badInput } from '@pyairtable/common/errors';
import type { Identity, RequestOrigin, RevocationStore } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { AccountTokenStore } from '../data/account-token-store.js';
import type { UserStore } from '../data/user-store.js';
import type { User } from '../generated/prisma/client.js';
import { userEmailChanged, userEmailVerified } from './account-events.js';
import { validEmail } from './email-addresses.js';
import type { LinkTokens } from './link-tokens.js';
import { assertAcceptablePassword, assertPasswordFitsHash, type PasswordHasher } from './passwords.js';
import type { AuthPayload, SessionStarter } from './sign-in.js';
import { hashOpaqueToken, type TokenIssuer } from './tokens.js';

/** One answer for every token that does not work, so none reveals whether it ever existed. */
const UNUSABLE_LINK = 'This link is unknown, already used or expired';
const EMAIL_TAKEN = 'An account with this email already exists';

export interface AccountLifecycleDependencies {
  users: UserStore;
  accountTokens: AccountTokenStore;
  linkTokens: LinkTokens;
  passwords: PasswordHasher;
  signIn: SessionStarter;
  tokens: TokenIssuer;
  revocations: RevocationStore;
  /** Publishes the outbox now (best effort; never rejects). */
  publishEvents: () => Promise<void>;
  /** Starts delivering the mail just committed (best effort). */
  deliverMail: () => void;
  logger: Logger;
}

export class AccountLifecycle {
  constructor(private readonly deps: AccountLifecycleDependencies) {}

  private async signedInUser(identity: Identity): Promise<User> {
    const user = await this.deps.users.findById(identity.userId);
    if (!user) throw ERRORS.UNAUTHENTICATED('Sign in first');
    return user;
  }

  /** Mails a fresh verification link to the caller's address, unless it is verified already. Always true. */
  async requestEmailVerification(identity: Identity): Promise<boolean> {
    const user = await this.signedInUser(identity);
    if (user.emailVerifiedAt) return true;
    const { token, record } = this.deps.linkTokens.issue('verify_email', user.email);
    await this.deps.accountTokens.issue(user.id, record, { mail: [{ to: user.email, kind: 'verify-email', params: { token } }] });
    this.deps.deliverMail();
    return true;
  }

  async verifyEmail(token: string): Promise<User> {
    const user = await this.deps.accountTokens.verifyEmail(hashOpaqueToken(token), (verified) => ({ events: [userEmailVerified(verified)] }));
    if (!user) throw ERRORS.NOT_FOUND(UNUSABLE_LINK);
    await this.deps.publishEvents();
    return user;
  }

  /**
   * Mails a reset link if an account has this email, and answers true either way. Both ways make a token and
   * run the same transaction (lookup, replace older links); only the writes of an existing account's token and
   * mail differ, so the answer's timing does not tell whether the account exists. Mail goes out after the
   * answer (the relay), never within it.
   */
  async requestPasswordReset(rawEmail: string): Promise<boolean> {
    const email = validEmail(rawEmail, 'email');
    const { token, record } = this.deps.linkTokens.issue('reset_password', email);
    const issued = await this.deps.accountTokens.issueToEmail(record, { mail: [{ to: email, kind: 'reset-password', params: { token } }] });
    if (issued) this.deps.deliverMail();
    return true;
  }

  /**
   * Sets a new password with a reset link: every session of the account is revoked (as logout(allSessions))
   * and a new one signed in. The link reached the address, so the email counts as verified too.
   */
  async resetPassword(token: string, newPassword: string, origin: RequestOrigin): Promise<AuthPayload> {
    assertAcceptablePassword(newPassword, 'newPassword');
    const passwordHash = await this.deps.passwords.hash(newPassword);
    const { refreshToken, session } = this.deps.signIn.prepare(origin);
    const reset = await this.deps.accountTokens.resetPassword(hashOpaqueToken(token), { passwordHash, session }, (verified) => ({
      events: [userEmailVerified(verified)],
    }));
    if (!reset) throw ERRORS.NOT_FOUND(UNUSABLE_LINK);
    await this.deps.revocations.revokeSessions(reset.revokedSessionIds);
    this.deps.logger.info({ userId: reset.user.id, revokedSessions: reset.revokedSessionIds.length }, 'password reset');
    await this.deps.publishEvents();
    return this.deps.signIn.payload(reset.user, reset.sessionId, refreshToken);
  }

  /**
   * Starts moving the caller's account to `rawNewEmail`: a confirmation link goes to the new address and a
   * notice to the current one. Nothing changes until the link is used.
   */
  async requestEmailChange(identity: Identity, rawNewEmail: string, currentPassword: string): Promise<boolean> {
    assertPasswordFitsHash(currentPassword, 'currentPassword');
    const user = await this.signedInUser(identity);
    if (!(await this.deps.passwords.verify(currentPassword, user.passwordHash))) {
      throw badInput('currentPassword', 'Current password is incorrect');
    }
    const newEmail = validEmail(rawNewEmail, 'newEmail');
    if (newEmail === user.email) throw badInput('newEmail', 'This is already your email address');
    if (await this.deps.users.findByEmail(newEmail)) throw ERRORS.CONFLICT(EMAIL_TAKEN);
    const { token, record } = this.deps.linkTokens.issue('change_email', newEmail);
    await this.deps.accountTokens.issue(user.id, record, {
      mail: [
        { to: newEmail, kind: 'confirm-email-change', params: { token, newEmail } },
        { to: user.email, kind: 'email-change-notice', params: { newEmail } },
      ],
    });
    this.deps.deliverMail();
    return true;
  }

  /**
   * Moves the account to the address the link was mailed to (now verified) and tells the other subgraphs
   * (user.email_changed). Sessions stay: access tokens carry the old `email` claim until their next refresh,
   * at most ACCESS_TOKEN_TTL_SECONDS, and nothing authorises on that claim.
   */
  async confirmEmailChange(token: string): Promise<User> {
    const user = await this.deps.accountTokens.changeEmail(hashOpaqueToken(token), (changed, previousEmail) => ({
      events: [userEmailChanged(changed, previousEmail)],
    }));
    if (!user) throw ERRORS.NOT_FOUND(UNUSABLE_LINK);
    this.deps.logger.info({ userId: user.id }, 'email changed');
    await this.deps.publishEvents();
    return user;
  }
}
