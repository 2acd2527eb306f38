import { randomUUID } from 'node:crypto';
import { translateDatabaseErrors } from '@pyairtable/common/data';
import type { DomainEventBody, SqlOutbox } from '@pyairtable/common/events';
import type { PageRequest } from '@pyairtable/common/graphql';
import type { MailKind, MailTemplateParams, Mailer } from '@pyairtable/common/mail';
import {
  Prisma,
  type DirectoryUser,
  type Invitation,
  type InvitationStatus,
  type Membership,
  type Workspace,
  type WorkspaceRole,
} from '../generated/prisma/client.js';
import type { WorkspacesDatabase } from './database.js';

export interface WorkspaceDetails {
  name: string;
  description: string | null;
}

/** What a new invitation (or a renewed one) is made of. */
export interface InvitationDraft {
  email: string;
  role: WorkspaceRole;
  tokenHash: string;
  invitedBy: string;
  invitedByName: string;
  expiresAt: Date;
}

/** How an invitation was answered. */
export type InvitationAnswer = Exclude<InvitationStatus, 'PENDING'>;

/**
 * A page of one user's workspaces, fetched for many users at once, with what a query about them nearly always asks
 * next: the workspace's OWNER and the viewer's own role in it.
 */
export interface WorkspaceOfMember extends Workspace {
  memberId: string;
  ownerId: string | null;
  viewerRole: WorkspaceRole;
}

/** Rows after the cursor in (timestamp desc, id desc) order: older, or equally old with a smaller id. */
function afterCursor(page: PageRequest, timestampColumn: Prisma.Sql, idColumn: Prisma.Sql): Prisma.Sql {
  if (!page.after) return Prisma.empty;
  return Prisma.sql`AND (${timestampColumn}, ${idColumn}) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`;
}

/**
 * Workspaces and memberships. The batch reads answer many parents in one statement each, so a request
 * costs the same number of queries however many workspaces and members it touches.
 */
export class WorkspaceStore {
  constructor(private readonly database: WorkspacesDatabase) {}

  findManyByIds(ids: readonly string[]): Promise<Workspace[]> {
    return this.database.workspace.findMany({ where: { id: { in: [...ids] } } });
  }

  rolesOfUser(userId: string, workspaceIds: readonly string[]): Promise<Array<Pick<Membership, 'workspaceId' | 'role'>>> {
    return this.database.membership.findMany({
      where: { userId, workspaceId: { in: [...workspaceIds] } },
      select: { workspaceId: true, role: true },
    });
  }

  ownersOf(workspaceIds: readonly string[]): Promise<Array<Pick<Membership, 'workspaceId' | 'userId'>>> {
    return this.database.membership.findMany({
      where: { workspaceId: { in: [...workspaceIds] }, role: 'OWNER' },
      select: { workspaceId: true, userId: true },
    });
  }

  async memberCounts(workspaceIds: readonly string[]): Promise<Map<string, number>> {
    const groups = await this.database.membership.groupBy({
      by: ['workspaceId'],
      where: { workspaceId: { in: [...workspaceIds] } },
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.workspaceId, group._count._all]));
  }

  /** Up to `first + 1` members of each workspace after the cursor, newest joined first, ties by user id. */
  memberPages(workspaceIds: readonly string[], page: PageRequest): Promise<Membership[]> {
    return this.database.$queryRaw<Membership[]>`
      SELECT workspace_id AS "workspaceId", user_id AS "userId", role::text AS role, joined_at AS "joinedAt"
      FROM (
        SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.workspace_id ORDER BY m.joined_at DESC, m.user_id DESC) AS position
        FROM pyairtable_workspaces.memberships m
        WHERE m.workspace_id = ANY(${[...workspaceIds]}::uuid[])
          ${afterCursor(page, Prisma.sql`m.joined_at`, Prisma.sql`m.user_id`)}
      ) ranked
      WHERE position <= ${page.first + 1}
      ORDER BY workspace_id, position`;
  }

  /**
   * Up to `first + 1` workspaces of each user that `viewerId` is also a member of, after the cursor,
   * newest first, ties by id.
   */
  sharedWorkspacePages(viewerId: string, userIds: readonly string[], page: PageRequest): Promise<WorkspaceOfMember[]> {
    return this.database.$queryRaw<WorkspaceOfMember[]>`
      SELECT "memberId", id, name, description, "createdAt", "updatedAt", "viewerRole",
             (SELECT owner.user_id FROM pyairtable_workspaces.memberships owner
              WHERE owner.workspace_id = ranked.id AND owner.role = 'OWNER') AS "ownerId"
      FROM (
        SELECT target.user_id AS "memberId", w.id, w.name, w.description,
               w.created_at AS "createdAt", w.updated_at AS "updatedAt", viewer.role::text AS "viewerRole",
               ROW_NUMBER() OVER (PARTITION BY target.user_id ORDER BY w.created_at DESC, w.id DESC) AS position
        FROM pyairtable_workspaces.memberships target
        JOIN pyairtable_workspaces.memberships viewer
          ON viewer.workspace_id = target.workspace_id AND viewer.user_id = ${viewerId}::uuid
        JOIN pyairtable_workspaces.workspaces w ON w.id = target.workspace_id
        WHERE target.user_id = ANY(${[...userIds]}::uuid[])
          ${afterCursor(page, Prisma.sql`w.created_at`, Prisma.sql`w.id`)}
      ) ranked
      WHERE position <= ${page.first + 1}
      ORDER BY "memberId", position`;
  }

  /** How many workspaces each user shares with `viewerId`. */
  async sharedWorkspaceCounts(viewerId: string, userIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.database.$queryRaw<Array<{ memberId: string; count: number }>>`
      SELECT target.user_id AS "memberId", COUNT(*)::int AS count
      FROM pyairtable_workspaces.memberships target
      JOIN pyairtable_workspaces.memberships viewer
        ON viewer.workspace_id = target.workspace_id AND viewer.user_id = ${viewerId}::uuid
      WHERE target.user_id = ANY(${[...userIds]}::uuid[])
      GROUP BY target.user_id`;
    return new Map(rows.map((row) => [row.memberId, row.count]));
  }

  /**
   * A new workspace with `ownerId` as its OWNER, in one statement (atomic on its own): Prisma's nested create takes
   * four (a transaction around the two inserts and a read back), and createWorkspace is a common write.
   */
  async create(ownerId: string, details: WorkspaceDetails): Promise<Workspace> {
    const [workspace] = await this.database.$queryRaw<Workspace[]>`
      WITH workspace AS (
        INSERT INTO pyairtable_workspaces.workspaces (id, name, description, updated_at)
        VALUES (${randomUUID()}::uuid, ${details.name}, ${details.description}, now())
        RETURNING id, name, description, created_at AS "createdAt", updated_at AS "updatedAt"
      ), owner AS (
        INSERT INTO pyairtable_workspaces.memberships (workspace_id, user_id, role)
        SELECT id, ${ownerId}::uuid, 'OWNER' FROM workspace
      )
      SELECT * FROM workspace`;
    if (!workspace) throw new Error('Creating a workspace returned no row');
    return workspace;
  }

  /**
   * Runs `work` in a transaction holding the workspace's row lock, so changes to one workspace's roles
   * and members happen one at a time (two concurrent transfers cannot both find the caller OWNER). When
   * the workspace does not exist, `work` still runs and finds no members.
   */
  withLockedWorkspace<T>(workspaceId: string, work: (workspace: LockedWorkspace) => Promise<T>): Promise<T> {
    return this.database.$transaction(async (transaction) => {
      await lockWorkspaces(transaction, [workspaceId]);
      return work(new LockedWorkspace(transaction, workspaceId));
    });
  }
}

/** Locks workspace rows in id order (so concurrent lockers cannot deadlock); answers the ids that exist. */
export async function lockWorkspaces(transaction: Prisma.TransactionClient, workspaceIds: readonly string[]): Promise<string[]> {
  if (workspaceIds.length === 0) return [];
  const rows = await transaction.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM pyairtable_workspaces.workspaces
    WHERE id = ANY(${[...workspaceIds]}::uuid[])
    ORDER BY id
    FOR UPDATE`;
  return rows.map((row) => row.id);
}

/** One workspace inside a transaction that holds its row lock. */
export class LockedWorkspace {
  constructor(
    private readonly transaction: Prisma.TransactionClient,
    readonly id: string,
  ) {}

  read(): Promise<Workspace | null> {
    return this.transaction.workspace.findUnique({ where: { id: this.id } });
  }

  membership(userId: string): Promise<Membership | null> {
    return this.transaction.membership.findUnique({ where: { workspaceId_userId: { workspaceId: this.id, userId } } });
  }

  async roleOf(userId: string): Promise<WorkspaceRole | null> {
    return (await this.membership(userId))?.role ?? null;
  }

  members(): Promise<Membership[]> {
    return this.transaction.membership.findMany({ where: { workspaceId: this.id } });
  }

  update(details: Partial<WorkspaceDetails>): Promise<Workspace> {
    return this.transaction.workspace.update({ where: { id: this.id }, data: details });
  }

  async delete(): Promise<void> {
    await this.transaction.workspace.delete({ where: { id: this.id } });
  }

  addMember(userId: string, role: WorkspaceRole): Promise<Membership> {
    return this.transaction.membership.create({ data: { workspaceId: this.id, userId, role } });
  }

  setRole(userId: string, role: WorkspaceRole): Promise<Membership> {
    return this.transaction.membership.update({
      where: { workspaceId_userId: { workspaceId: this.id, userId } },
      data: { role },
    });
  }

  async removeMember(userId: string): Promise<void> {
    await this.transaction.membership.delete({ where: { workspaceId_userId: { workspaceId: this.id, userId } } });
  }

  /**
   * The account with this email, its directory row share-locked until the transaction ends so the
   * account's deletion cannot slip in between finding it and adding it.
   */
  async lockAccountByEmail(email: string): Promise<string | null> {
    const rows = await this.transaction.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM pyairtable_workspaces.directory_users WHERE email = ${email} FOR SHARE`;
    return rows[0]?.id ?? null;
  }

  /** The account's directory entry, share-locked like lockAccountByEmail's (its deletion waits for this transaction). */
  async lockAccount(userId: string): Promise<DirectoryUser | null> {
    const rows = await this.transaction.$queryRaw<DirectoryUser[]>`
      SELECT id, email, email_verified AS "emailVerified", display_name AS "displayName", registered_at AS "registeredAt"
      FROM pyairtable_workspaces.directory_users WHERE id = ${userId}::uuid FOR SHARE`;
    return rows[0] ?? null;
  }

  /** The account's email is confirmed (an invitation link proved it), if it still is the account's email. */
  async markEmailVerified(userId: string, email: string): Promise<void> {
    await this.transaction.directoryUser.updateMany({ where: { id: userId, email }, data: { emailVerified: true } });
  }

  /** Whether an account with this email is a member (as far as the directory knows the account). */
  async hasMemberWithEmail(email: string): Promise<boolean> {
    const rows = await this.transaction.$queryRaw<unknown[]>`
      SELECT 1 FROM pyairtable_workspaces.memberships m
      JOIN pyairtable_workspaces.directory_users d ON d.id = m.user_id
      WHERE m.workspace_id = ${this.id}::uuid AND d.email = ${email}
      LIMIT 1`;
    return rows.length > 0;
  }

  /** This workspace's invitation with this id (whatever its status). */
  invitation(id: string): Promise<Invitation | null> {
    return this.transaction.invitation.findFirst({ where: { id, workspaceId: this.id } });
  }

  invitationByTokenHash(tokenHash: string): Promise<Invitation | null> {
    return this.transaction.invitation.findFirst({ where: { tokenHash, workspaceId: this.id } });
  }

  /** The pending invitation to this email, expired or not (there is at most one). */
  pendingInvitationTo(email: string): Promise<Invitation | null> {
    return this.transaction.invitation.findFirst({ where: { workspaceId: this.id, email, status: 'PENDING' } });
  }

  createInvitation(draft: InvitationDraft): Promise<Invitation> {
    return translateDatabaseErrors({ conflict: 'This email already has a pending invitation to the workspace' }, () =>
      this.transaction.invitation.create({ data: { ...draft, workspaceId: this.id } }),
    );
  }

  /** Turns an expired pending invitation into a new one: new role, sender, link, and times. */
  renewInvitation(id: string, draft: InvitationDraft): Promise<Invitation> {
    return this.transaction.invitation.update({ where: { id }, data: { ...draft, createdAt: new Date() } });
  }

  /** A fresh link (the previous one stops working) and expiry. */
  refreshInvitationLink(id: string, tokenHash: string, expiresAt: Date): Promise<Invitation> {
    return this.transaction.invitation.update({ where: { id }, data: { tokenHash, expiresAt } });
  }

  /** Answers a pending invitation; its link stops working. */
  async answerInvitation(id: string, answer: InvitationAnswer): Promise<void> {
    await this.transaction.invitation.update({ where: { id }, data: { status: answer, respondedAt: new Date() } });
  }

  /** Writes a message caused by this change into the outgoing mail, in its transaction (deliver after commit). */
  async enqueueMail<Kind extends MailKind>(mailer: Mailer, to: string, kind: Kind, params: MailTemplateParams[Kind]): Promise<void> {
    await mailer.enqueue(this.transaction, to, kind, params);
  }

  /** Writes an event this change publishes into the outbox, in its transaction (flush the relay after commit). */
  async appendEvent(outbox: SqlOutbox, event: DomainEventBody): Promise<void> {
    await outbox.append(this.transaction, event);
  }
}
