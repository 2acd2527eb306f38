// Invitations and the directory entries they need, read outside any workspace lock (the writes happen on a
// LockedWorkspace, see workspace-store.ts).
import type { PageRequest } from '@pyairtable/common/graphql';
import { Prisma, type DirectoryUser, type Invitation } from '../generated/prisma/client.js';
import type { WorkspacesDatabase } from './database.js';

/** An invitation with the name of its workspace, which the invitee (not a member yet) is shown. */
export interface InvitationRecord extends Invitation {
  workspaceName: string;
}

/** Where an invitation is: enough to take its workspace's lock before reading it again. */
export interface InvitationLocation {
  id: string;
  workspaceId: string;
}

const INVITATION_COLUMNS = Prisma.sql`
  i.id, i.workspace_id AS "workspaceId", i.email, i.role::text AS role, i.status::text AS status,
  i.token_hash AS "tokenHash", i.invited_by AS "invitedBy", i.invited_by_name AS "invitedByName",
  i.created_at AS "createdAt", i.expires_at AS "expiresAt", i.responded_at AS "respondedAt", w.name AS "workspaceName"`;

export class InvitationStore {
  constructor(private readonly database: WorkspacesDatabase) {}

  /** What this subgraph knows of an account: its current email, whether it is verified, its display name. */
  directoryEntry(userId: string): Promise<DirectoryUser | null> {
    return this.database.directoryUser.findUnique({ where: { id: userId } });
  }

  locateByTokenHash(tokenHash: string): Promise<InvitationLocation | null> {
    return this.database.invitation.findUnique({ where: { tokenHash }, select: { id: true, workspaceId: true } });
  }

  locateById(id: string): Promise<InvitationLocation | null> {
    return this.database.invitation.findUnique({ where: { id }, select: { id: true, workspaceId: true } });
  }

  /** Pending invitations to `email` that have not expired, newest first. */
  pendingFor(email: string): Promise<InvitationRecord[]> {
    return this.database.$queryRaw<InvitationRecord[]>`
      SELECT ${INVITATION_COLUMNS}
      FROM pyairtable_workspaces.invitations i
      JOIN pyairtable_workspaces.workspaces w ON w.id = i.workspace_id
      WHERE i.email = ${email} AND i.status = 'PENDING' AND i.expires_at > now()
      ORDER BY i.created_at DESC, i.id DESC`;
  }

  /**
   * Up to `first + 1` unanswered invitations (pending, expired or not) of each workspace after the cursor,
   * newest first, ties by id.
   */
  pendingPages(workspaceIds: readonly string[], page: PageRequest): Promise<InvitationRecord[]> {
    const after = page.after ? Prisma.sql`AND (i.created_at, i.id) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)` : Prisma.empty;
    return this.database.$queryRaw<InvitationRecord[]>`
      SELECT ${INVITATION_COLUMNS}
      FROM (
        SELECT i.*, ROW_NUMBER() OVER (PARTITION BY i.workspace_id ORDER BY i.created_at DESC, i.id DESC) AS position
        FROM pyairtable_workspaces.invitations i
        WHERE i.workspace_id = ANY(${[...workspaceIds]}::uuid[]) AND i.status = 'PENDING' ${after}
      ) i
      JOIN pyairtable_workspaces.workspaces w ON w.id = i.workspace_id
      WHERE i.position <= ${page.first + 1}
      ORDER BY i.workspace_id, i.position`;
  }

  async pendingCounts(workspaceIds: readonly string[]): Promise<Map<string, number>> {
    const groups = await this.database.invitation.groupBy({
      by: ['workspaceId'],
      where: { workspaceId: { in: [...workspaceIds] }, status: 'PENDING' },
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.workspaceId, group._count._all]));
  }
}
