import type { PageRequest } from '@pyairtable/common/graphql';
import { Prisma, type Membership, type Workspace, type WorkspaceRole } from '../generated/prisma/client.js';
import type { WorkspacesDatabase } from './database.js';

export interface WorkspaceDetails {
  name: string;
  description: string | null;
}

/** A page of one user's workspaces, fetched for many users at once. */
export interface WorkspaceOfMember extends Workspace {
  memberId: string;
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
      SELECT "memberId", id, name, description, "createdAt", "updatedAt"
      FROM (
        SELECT target.user_id AS "memberId", w.id, w.name, w.description,
               w.created_at AS "createdAt", w.updated_at AS "updatedAt",
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

  /** The workspace and its OWNER's membership, written together. */
  create(ownerId: string, details: WorkspaceDetails): Promise<Workspace> {
    return this.database.workspace.create({
      data: { ...details, memberships: { create: { userId: ownerId, role: 'OWNER' } } },
    });
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
}
