// The rules of accounts and sessions: registration, sign-in, refresh, logout, password change, roles, deletion.
import { randomUUID } from 'node:crypto';
import { ERRORS, badInput } from '@pyairtable/common/errors';
import { assertPlainText, isUuid, subjectDigest, type FailureThrottle } from '@pyairtable/common/graphql';
import { checkedEmail, type Identity, type RequestOrigin, type RevocationStore } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { User, UserRole } from '../generated/prisma/client.js';
import type { SessionStore } from '../data/session-store.js';
import { LastAdminError, type UserStore } from '../data/user-store.js';
import type { LoginInput, RegisterInput } from '../resolvers/resolvers-types.generated.js';
import { userDeleted, userRegistered } from './account-events.js';
import { validEmail } from './email-addresses.js';
import type { LinkTokens } from './link-tokens.js';
import { PasswordHasher, assertAcceptablePassword, assertPasswordFitsHash } from './passwords.js';
import type { AuthPayload, SessionStarter } from './sign-in.js';
import { hashOpaqueToken, type TokenIssuer } from './tokens.js';

export type { AuthPayload } from './sign-in.js';

const DISPLAY_NAME_MAX_LENGTH = 100;
const INVALID_CREDENTIALS = 'Invalid email or password';

function validDisplayName(raw: string | null | undefined): string | null {
  // Checked before trimming: trim() would quietly drop some of them (U+FEFF, U+2028) at the ends.
  assertPlainText(raw ?? '', 'displayName');
  const displayName = raw?.trim() ?? '';
  if (displayName.length > DISPLAY_NAME_MAX_LENGTH) {
    throw badInput('displayName', `Display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`);
  }
  return displayName.length > 0 ? displayName : null;
}

export interface AccountServiceDependencies {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenIssuer;
  signIn: SessionStarter;
  linkTokens: LinkTokens;
  passwords: PasswordHasher;
  /** Failed sign-ins per account: progressive waits, cleared by a success. */
  loginFailures: FailureThrottle;
  revocations: RevocationStore;
  adminEmails: readonly string[];
  /**
   * Publishes the outbox now, so other subgraphs see a change within milliseconds (a registering client
   * reads its own profile next). Best effort: it never rejects, the relay's polling retries.
   */
  publishEvents: () => Promise<void>;
  /** Starts delivering the mail just committed (best effort too: the mail relay polls). */
  deliverMail: () => void;
  logger: Logger;
}

/** The rules of accounts and sessions; storage is the stores', transport the resolvers'. */
export class AccountService {
  constructor(private readonly deps: AccountServiceDependencies) {}

  private newSession(origin: RequestOrigin) {
    return this.deps.signIn.prepare(origin);
  }

  private payload(user: User, sessionId: string, refreshToken: string): Promise<AuthPayload> {
    return this.deps.signIn.payload(user, sessionId, refreshToken);
  }

  private async revokeSessions(sessionIds: string[], reason: string): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.deps.sessions.revoke(sessionIds, reason);
    await this.deps.revocations.revokeSessions(sessionIds);
  }

  async register(input: RegisterInput, origin: RequestOrigin): Promise<AuthPayload> {
    const email = validEmail(input.email, 'email');
    assertAcceptablePassword(input.password, 'password');
    const displayName = validDisplayName(input.displayName);
    const passwordHash = await this.deps.passwords.hash(input.password);
    const role: UserRole = this.deps.adminEmails.includes(email) ? 'ADMIN' : 'USER';
    const { refreshToken, session } = this.newSession(origin);
    const account = { id: randomUUID(), email, passwordHash, role, createdAt: new Date() };
    const verification = this.deps.linkTokens.issue('verify_email', email);
    const { user, sessionId } = await this.deps.users.createWithSession(account, session, {
      tokens: [verification.record],
      events: [userRegistered({ userId: account.id, email, displayName, registeredAt: account.createdAt })],
      mail: [{ to: email, kind: 'verify-email', params: { token: verification.token, displayName } }],
    });
    this.deps.logger.info({ userId: user.id, role }, 'account registered');
    this.deps.deliverMail();
    await this.deps.publishEvents();
    return this.payload(user, sessionId, refreshToken);
  }

  async login(input: LoginInput, origin: RequestOrigin): Promise<AuthPayload> {
    const email = checkedEmail(input.email, 'email');
    assertPasswordFitsHash(input.password, 'password');
    // Looked up before the attempt counts: a database outage must not count against the account as failed sign-ins.
    const user = await this.deps.users.findByEmail(email);
    const account = `account:${subjectDigest(email)}`;
    await this.deps.loginFailures.admit(account);
    const passwordMatches = await this.deps.passwords.verify(input.password, user?.passwordHash);
    if (!user || !passwordMatches) throw ERRORS.UNAUTHENTICATED(INVALID_CREDENTIALS);
    await this.deps.loginFailures.forgive(account);
    const { refreshToken, session } = this.newSession(origin);
    const sessionId = await this.deps.sessions.create(user.id, session);
    return this.payload(user, sessionId, refreshToken);
  }

  async refresh(presented: string): Promise<AuthPayload> {
    const stored = await this.deps.sessions.findRefreshToken(hashOpaqueToken(presented));
    if (!stored) throw ERRORS.UNAUTHENTICATED('Invalid refresh token');
    const { session } = stored;
    if (stored.rotatedAt) {
      await this.revokeReusedFamily(session.id, session.userId);
      throw ERRORS.UNAUTHENTICATED('Invalid refresh token');
    }
    if (session.revokedAt || stored.expiresAt <= new Date()) throw ERRORS.UNAUTHENTICATED('Invalid refresh token');
    const successor = this.deps.tokens.refreshToken();
    const rotated = await this.deps.sessions.rotate(stored.id, session.id, {
      tokenHash: successor.hash,
      expiresAt: this.deps.tokens.refreshTokenExpiry(),
    });
    if (!rotated) {
      await this.revokeReusedFamily(session.id, session.userId);
      throw ERRORS.UNAUTHENTICATED('Invalid refresh token');
    }
    return this.payload(session.user, session.id, successor.token);
  }

  private async revokeReusedFamily(sessionId: string, userId: string): Promise<void> {
    this.deps.logger.warn({ sessionId, userId }, 'refresh token reused: revoking its session family');
    await this.revokeSessions([sessionId], 'refresh-token-reuse');
  }

  async logout(identity: Identity, refreshToken: string | null | undefined, allSessions: boolean): Promise<boolean> {
    if (allSessions) {
      const revoked = await this.deps.sessions.revokeAllOfUser(identity.userId, 'logout-all');
      await this.deps.revocations.revokeSessions([...revoked, identity.sessionId]);
      return true;
    }
    const sessionIds = [identity.sessionId];
    if (refreshToken) {
      const stored = await this.deps.sessions.findRefreshToken(hashOpaqueToken(refreshToken));
      if (stored?.session.userId === identity.userId) sessionIds.push(stored.session.id);
    }
    await this.revokeSessions([...new Set(sessionIds)], 'logout');
    return true;
  }

  async changePassword(identity: Identity, currentPassword: string, newPassword: string): Promise<boolean> {
    assertPasswordFitsHash(currentPassword, 'currentPassword');
    const user = await this.deps.users.findById(identity.userId);
    if (!user) throw ERRORS.UNAUTHENTICATED('Sign in first');
    if (!(await this.deps.passwords.verify(currentPassword, user.passwordHash))) {
      throw badInput('currentPassword', 'Current password is incorrect');
    }
    assertAcceptablePassword(newPassword, 'newPassword');
    await this.deps.users.updatePasswordHash(user.id, await this.deps.passwords.hash(newPassword));
    const revoked = await this.deps.sessions.revokeAllOfUser(user.id, 'password-changed', identity.sessionId);
    await this.deps.revocations.revokeSessions(revoked);
    return true;
  }

  async setRole(identity: Identity, userId: string, role: UserRole): Promise<User> {
    if (identity.role !== 'ADMIN') throw ERRORS.FORBIDDEN('Only an ADMIN can change roles');
    if (!isUuid(userId)) throw ERRORS.NOT_FOUND('User not found');
    try {
      const user = await this.deps.users.setRole(userId, role);
      if (!user) throw ERRORS.NOT_FOUND('User not found');
      // Tokens carry the role: the user's older tokens are refused, so the next refresh picks the new role. The
      // cut-off and the tokens' issue times are in milliseconds, so a token refreshed right after it is accepted.
      await this.deps.revocations.invalidateTokensIssuedBefore(user.id, Date.now());
      return user;
    } catch (error) {
      if (error instanceof LastAdminError) throw ERRORS.CONFLICT('The last ADMIN cannot give up the role');
      throw error;
    }
  }

  async deleteUser(identity: Identity, userId: string): Promise<boolean> {
    if (identity.userId !== userId && identity.role !== 'ADMIN') throw ERRORS.FORBIDDEN('You can delete only your own account');
    if (!isUuid(userId)) throw ERRORS.NOT_FOUND('User not found');
    try {
      const deleted = await this.deps.users.delete(userId, [userDeleted(userId)]);
      if (!deleted) throw ERRORS.NOT_FOUND('User not found');
      await this.deps.revocations.revokeSessions(deleted.sessionIds);
      this.deps.logger.info({ userId, by: identity.userId }, 'account deleted');
      await this.deps.publishEvents();
      return true;
    } catch (error) {
      if (error instanceof LastAdminError) throw ERRORS.CONFLICT('The last ADMIN cannot be deleted');
      throw error;
    }
  }

  async activeSessions(identity: Identity) {
    const sessions = await this.deps.sessions.listActive(identity.userId);
    return sessions.map((session) => ({ ...session, current: session.id === identity.sessionId }));
  }
}
