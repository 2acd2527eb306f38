// Workspace invitations: who may send, resend and revoke them, how one is accepted or declined, and the mail and
// events each change writes in its own transaction.
import { createHash, randomBytes } from 'node:crypto';
import { ERRORS, badInput, graphQLError } from '@pyairtable/common/errors';
import type { EventCatchUp, SqlOutbox } from '@pyairtable/common/events';
import { isUuid } from '@pyairtable/common/graphql';
import { checkedEmail, normalizeEmail, type Identity } from '@pyairtable/common/identity';
import type { Mailer } from '@pyairtable/common/mail';
import type { Logger } from '@pyairtable/common/observability';
import type { InvitationLocation, InvitationRecord, InvitationStore } from '../data/invitation-store.js';
import type { InvitationDraft, LockedWorkspace, WorkspaceStore } from '../data/workspace-store.js';
import type { DirectoryUser, Invitation, InvitationStatus, Workspace, WorkspaceRole } from '../generated/prisma/client.js';
import { defaultDisplayName } from './user-events.js';
import { canInvite, canManageInvitation, canRead, type Verdict } from './workspace-policy.js';

/** 256 random bits: the link's token. Only its SHA-256 is stored. */
const TOKEN_BYTES = 32;
const EMAIL_MAX_LENGTH = 254;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Unknown, used, expired and revoked links all get the same answer. */
const LINK_NOT_VALID = 'This invitation link is not valid: it may have been used, withdrawn, or have expired';
const INVITATION_NOT_FOUND = 'Invitation not found';
const NOT_THE_INVITEE = 'This invitation was sent to another email address than your account’s';
const EMAIL_NOT_VERIFIED = 'Verify your email address first, or accept with the link from the invitation email';

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

export type InvitationStatusView = InvitationStatus | 'EXPIRED';

/** What an invitation answers as its status: a PENDING one past its expiry is EXPIRED. */
export function invitationStatus(invitation: Pick<Invitation, 'status' | 'expiresAt'>, now = new Date()): InvitationStatusView {
  return invitation.status === 'PENDING' && invitation.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : invitation.status;
}

/** An invitation given by the token from its mail, or by its id (one of myInvitations). */
export type InvitationReference = { token: string } | { id: string };

/** Exactly one of token and id. */
export function invitationReference({ token, id }: { token?: string | null; id?: string | null }): InvitationReference {
  const hasToken = token !== undefined && token !== null;
  const hasId = id !== undefined && id !== null;
  if (hasToken && hasId) throw badInput('id', 'Give either the token from the invitation email or the invitation id, not both');
  if (hasToken) return { token };
  if (hasId) return { id };
  throw badInput('token', 'Give the token from the invitation email or the invitation id');
}

function validEmail(raw: string): string {
  const email = checkedEmail(raw, 'email');
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) throw badInput('email', 'Email address is not valid');
  return email;
}

function enforce(verdict: Verdict): void {
  if (!verdict.allowed) throw graphQLError(verdict.code, verdict.message, verdict.field ? { field: verdict.field } : {});
}

/** The caller's account is not in the directory yet: catch up with account events and try again. */
const ACCOUNT_NOT_KNOWN = Symbol('account not known yet');

export interface InvitationServiceDependencies {
  workspaces: WorkspaceStore;
  invitations: InvitationStore;
  /** An account registered a moment ago may not be known here yet: catch up with account events on a miss. */
  accounts: EventCatchUp;
  mailer: Mailer;
  outbox: SqlOutbox;
  /** Publishes what the outbox holds, right after a commit (best effort: the relay polls anyway). */
  publishEvents: () => void;
  invitationTtlSeconds: number;
  logger: Logger;
}

/**
 * Invitations belong to the workspace: every change runs under the workspace's row lock, like the member
 * mutations, so accepting is exactly-once however many accepts race, and the mail (and the event) of a change
 * is written in its transaction. Who the caller is for an invitation (their email, whether it is verified) comes
 * from the directory of accounts this subgraph keeps, never from the access token, which may be older than an
 * email change.
 */
export class InvitationService {
  constructor(private readonly deps: InvitationServiceDependencies) {}

  /** Invites `email`, with or without an account: the answer is the same either way. */
  async invite(identity: Identity, workspaceId: string, rawEmail: string, role: WorkspaceRole): Promise<InvitationRecord> {
    const email = validEmail(rawEmail);
    if (!isUuid(workspaceId)) enforce(canRead(null));
    const invitedByName = await this.displayNameOf(identity);
    const { token, tokenHash } = newInvitationToken();
    const invitation = await this.deps.workspaces.withLockedWorkspace(workspaceId, async (workspace) => {
      enforce(canInvite(await workspace.roleOf(identity.userId), role));
      if (await workspace.hasMemberWithEmail(email)) throw ERRORS.CONFLICT('This person is already a member of the workspace');
      const draft: InvitationDraft = { email, role, tokenHash, invitedBy: identity.userId, invitedByName, expiresAt: this.expiryFromNow() };
      const pending = await workspace.pendingInvitationTo(email);
      if (pending && invitationStatus(pending) === 'PENDING') {
        throw ERRORS.CONFLICT('This email already has a pending invitation to the workspace; resend it instead');
      }
      // An expired invitation still holds the email's one pending place: it becomes the new one.
      const sent = pending ? await workspace.renewInvitation(pending.id, draft) : await workspace.createInvitation(draft);
      return this.mailInvitation(workspace, sent, token);
    });
    this.deps.mailer.deliverSoon();
    this.deps.logger.info({ workspaceId, invitationId: invitation.id, by: identity.userId, role }, 'invitation sent');
    return invitation;
  }

  /** A fresh link and expiry for a pending (or expired) invitation, mailed again; the previous link stops working. */
  async resend(identity: Identity, id: string): Promise<InvitationRecord> {
    const { token, tokenHash } = newInvitationToken();
    const invitation = await this.inInvitationWorkspace(id, async (workspace) => {
      const pending = await this.managedPendingInvitation(workspace, identity, id);
      const refreshed = await workspace.refreshInvitationLink(pending.id, tokenHash, this.expiryFromNow());
      return this.mailInvitation(workspace, refreshed, token);
    });
    this.deps.mailer.deliverSoon();
    this.deps.logger.info({ invitationId: id, by: identity.userId }, 'invitation resent');
    return invitation;
  }

  async revoke(identity: Identity, id: string): Promise<boolean> {
    await this.inInvitationWorkspace(id, async (workspace) => {
      const pending = await this.managedPendingInvitation(workspace, identity, id);
      await workspace.answerInvitation(pending.id, 'REVOKED');
    });
    this.deps.logger.info({ invitationId: id, by: identity.userId }, 'invitation revoked');
    return true;
  }

  /**
   * Makes the caller a member with the invited role and answers the workspace. By token, the token proves the
   * address: the caller's email must be the invited one, and becomes verified. By id, the caller's email must be
   * the invited one and already verified. A caller who is a member already (added meanwhile) keeps their role;
   * the invitation is used up all the same.
   */
  async accept(identity: Identity, reference: InvitationReference): Promise<Workspace> {
    const byToken = 'token' in reference;
    const joined = await this.answerAsInvitee(reference, identity.userId, async (workspace, invitation, account) => {
      if (!byToken && !account.emailVerified) throw ERRORS.FORBIDDEN(EMAIL_NOT_VERIFIED);
      if (byToken) await workspace.markEmailVerified(account.id, account.email);
      if (!(await workspace.membership(account.id))) await workspace.addMember(account.id, invitation.role);
      await workspace.answerInvitation(invitation.id, 'ACCEPTED');
      await workspace.appendEvent(this.deps.outbox, {
        type: 'invitation.accepted',
        data: { invitationId: invitation.id, workspaceId: workspace.id, userId: account.id, email: account.email, byToken },
      });
      const joinedWorkspace = await workspace.read();
      if (!joinedWorkspace) throw new Error(`workspace ${workspace.id} vanished while locked`);
      return joinedWorkspace;
    });
    this.deps.publishEvents();
    this.deps.logger.info({ workspaceId: joined.id, userId: identity.userId, byToken }, 'invitation accepted');
    return joined;
  }

  /**
   * Turns an invitation down. By token, whoever holds the link may (signed in or not: the link reached the invited
   * address); by id, only the invitee whose email is verified, like accepting.
   */
  async decline(identity: Identity | null, reference: InvitationReference): Promise<boolean> {
    if ('token' in reference) {
      const tokenHash = hashInvitationToken(reference.token);
      const location = await this.locate(reference, tokenHash);
      if (!location) throw ERRORS.NOT_FOUND(LINK_NOT_VALID);
      await this.deps.workspaces.withLockedWorkspace(location.workspaceId, async (workspace) => {
        const invitation = await workspace.invitationByTokenHash(tokenHash);
        if (!invitation || invitationStatus(invitation) !== 'PENDING') throw ERRORS.NOT_FOUND(LINK_NOT_VALID);
        await workspace.answerInvitation(invitation.id, 'DECLINED');
      });
    } else {
      if (!identity) throw ERRORS.UNAUTHENTICATED('Sign in to decline an invitation by its id, or use the link from its email');
      await this.answerAsInvitee(reference, identity.userId, async (workspace, invitation, account) => {
        if (!account.emailVerified) throw ERRORS.FORBIDDEN(EMAIL_NOT_VERIFIED);
        await workspace.answerInvitation(invitation.id, 'DECLINED');
      });
    }
    return true;
  }

  /** Pending invitations to the caller's email, newest first; none while that email is not verified. */
  async mine(identity: Identity): Promise<InvitationRecord[]> {
    const account = await this.deps.accounts.retryOnMiss(
      () => this.deps.invitations.directoryEntry(identity.userId),
      (entry) => entry === null,
      'answer',
    );
    if (!account?.emailVerified) return [];
    return this.deps.invitations.pendingFor(account.email);
  }

  private expiryFromNow(): Date {
    return new Date(Date.now() + this.deps.invitationTtlSeconds * 1000);
  }

  /** The inviter's name as the invitee sees it; the access token's email stands in for an account not known here yet. */
  private async displayNameOf(identity: Identity): Promise<string> {
    const account = await this.deps.accounts.retryOnMiss(
      () => this.deps.invitations.directoryEntry(identity.userId),
      (entry) => entry === null,
      'answer',
    );
    return account?.displayName ?? defaultDisplayName(normalizeEmail(identity.email));
  }

  private async mailInvitation(workspace: LockedWorkspace, invitation: Invitation, token: string): Promise<InvitationRecord> {
    const current = await workspace.read();
    if (!current) throw new Error(`workspace ${workspace.id} vanished while locked`);
    await workspace.enqueueMail(this.deps.mailer, invitation.email, 'workspace-invitation', {
      token,
      workspaceName: current.name,
      invitedByName: invitation.invitedByName,
      role: invitation.role,
    });
    return { ...invitation, workspaceName: current.name };
  }

  /** Runs `work` under the lock of the workspace the invitation belongs to; an unknown id is NOT_FOUND. */
  private async inInvitationWorkspace<T>(id: string, work: (workspace: LockedWorkspace) => Promise<T>): Promise<T> {
    const location = isUuid(id) ? await this.deps.invitations.locateById(id) : null;
    if (!location) throw ERRORS.NOT_FOUND(INVITATION_NOT_FOUND);
    return this.deps.workspaces.withLockedWorkspace(location.workspaceId, work);
  }

  /** The invitation, when the caller may resend or revoke it and it is still unanswered (expired or not). */
  private async managedPendingInvitation(workspace: LockedWorkspace, identity: Identity, id: string): Promise<Invitation> {
    const invitation = await workspace.invitation(id);
    if (!invitation) throw ERRORS.NOT_FOUND(INVITATION_NOT_FOUND);
    enforce(canManageInvitation(await workspace.roleOf(identity.userId), invitation.role));
    if (invitation.status !== 'PENDING') throw ERRORS.NOT_FOUND('This invitation was already answered or withdrawn');
    return invitation;
  }

  private locate(reference: InvitationReference, tokenHash: string | null): Promise<InvitationLocation | null> {
    if (tokenHash !== null) return this.deps.invitations.locateByTokenHash(tokenHash);
    if ('id' in reference && isUuid(reference.id)) return this.deps.invitations.locateById(reference.id);
    return Promise.resolve(null);
  }

  /**
   * Runs `work` on a pending, unexpired invitation addressed to the caller's current email (FORBIDDEN otherwise),
   * under its workspace's lock and with the caller's directory entry share-locked. A caller not in the directory
   * yet (registered a moment ago) is caught up with once.
   */
  private async answerAsInvitee<T>(
    reference: InvitationReference,
    userId: string,
    work: (workspace: LockedWorkspace, invitation: Invitation, account: DirectoryUser) => Promise<T>,
  ): Promise<T> {
    const tokenHash = 'token' in reference ? hashInvitationToken(reference.token) : null;
    const notFound = () => ERRORS.NOT_FOUND(tokenHash !== null ? LINK_NOT_VALID : INVITATION_NOT_FOUND);
    const location = await this.locate(reference, tokenHash);
    if (!location) throw notFound();
    const { workspaceId, id } = location;

    const attempt = () =>
      this.deps.workspaces.withLockedWorkspace(workspaceId, async (workspace) => {
        // Read again under the lock: a concurrent answer or resend may have changed it since it was located.
        const invitation = tokenHash !== null ? await workspace.invitationByTokenHash(tokenHash) : await workspace.invitation(id);
        if (!invitation || invitationStatus(invitation) !== 'PENDING') throw notFound();
        const account = await workspace.lockAccount(userId);
        if (!account) return ACCOUNT_NOT_KNOWN;
        if (account.email !== invitation.email) throw ERRORS.FORBIDDEN(NOT_THE_INVITEE);
        return work(workspace, invitation, account);
      });
    const outcome = await this.deps.accounts.retryOnMiss(attempt, (answer) => answer === ACCOUNT_NOT_KNOWN, 'refuse');
    if (outcome === ACCOUNT_NOT_KNOWN) throw ERRORS.FORBIDDEN(NOT_THE_INVITEE);
    return outcome;
  }
}
