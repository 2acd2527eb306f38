import DataLoader from 'dataloader';
import { toConnection, type Connection, type PageRequest } from '@pyairtable/common/graphql';
import type { InvitationRecord, InvitationStore } from './data/invitation-store.js';
import type { WorkspaceStore } from './data/workspace-store.js';
import type { Membership, Workspace, WorkspaceRole } from './generated/prisma/client.js';

/** What the connection resolvers return (codegen.ts maps the connection types to them). */
export type WorkspacePage = Connection<Workspace>;
export type MemberPage = Connection<Membership>;
export type InvitationPage = Connection<InvitationRecord>;

/** One page of a connection under one parent (a workspace's members, a user's workspaces). */
export interface PageKey {
  parentId: string;
  page: PageRequest;
}

function pageRequestKey(page: PageRequest): string {
  return JSON.stringify([page.first, page.after?.createdAt.toISOString() ?? null, page.after?.id ?? null]);
}

function pageCacheKey({ parentId, page }: PageKey): string {
  return `${parentId}|${pageRequestKey(page)}`;
}

/**
 * Loads pages for many parents with one fetch per distinct page request (a query document asks for few
 * distinct ones, however many parents it reaches): the fetch answers rows of every parent together. A page's
 * totalCount comes from `countOf`, a DataLoader too, so the counts a query asks for are one query as well.
 */
function pageLoader<Row, Node>(
  fetchPages: (parentIds: string[], page: PageRequest) => Promise<Row[]>,
  parentOf: (row: Row) => string,
  countOf: DataLoader<string, number>,
  position: (row: Row) => { createdAt: Date; id: string },
  toNode: (row: Row) => Node,
): DataLoader<PageKey, Connection<Node>, string> {
  return new DataLoader<PageKey, Connection<Node>, string>(
    async (keys) => {
      const requests = new Map<string, { page: PageRequest; parentIds: string[] }>();
      for (const { parentId, page } of keys) {
        const requestKey = pageRequestKey(page);
        const request = requests.get(requestKey) ?? { page, parentIds: [] };
        request.parentIds.push(parentId);
        requests.set(requestKey, request);
      }
      const rowsByKey = new Map<string, Row[]>();
      await Promise.all(
        [...requests.values()].map(async ({ page, parentIds }) => {
          for (const row of await fetchPages(parentIds, page)) {
            const key = pageCacheKey({ parentId: parentOf(row), page });
            const rows = rowsByKey.get(key);
            if (rows) rows.push(row);
            else rowsByKey.set(key, [row]);
          }
        }),
      );
      return keys.map((key) => toConnection(rowsByKey.get(pageCacheKey(key)) ?? [], key.page, () => countOf.load(key.parentId), position, toNode));
    },
    { cacheKeyFn: pageCacheKey },
  );
}

/** Counts per parent, batched: `countMany` answers the parents that have any; the others count 0. */
function countLoader(countMany: (parentIds: readonly string[]) => Promise<Map<string, number>>): DataLoader<string, number> {
  return new DataLoader<string, number>(async (parentIds) => byKey(parentIds, await countMany(parentIds), 0));
}

function byKey<K, V>(keys: readonly K[], found: Map<K, V>, missing: V): V[] {
  return keys.map((key) => found.get(key) ?? missing);
}

/**
 * The per-request DataLoaders behind every Workspace reference and every per-workspace or per-user
 * field: each batches all the parents of one request into one query, so the number of queries does not
 * grow with the number of workspaces or members.
 */
export function createWorkspaceLoaders(store: WorkspaceStore, invitationStore: InvitationStore, callerId: string | null) {
  const workspaceById = new DataLoader<string, Workspace | null>(async (ids) => {
    const found = new Map((await store.findManyByIds(ids)).map((workspace) => [workspace.id, workspace]));
    return byKey(ids, found, null);
  });

  const callerRole = new DataLoader<string, WorkspaceRole | null>(async (workspaceIds) => {
    if (callerId === null) return workspaceIds.map(() => null);
    const roles = await store.rolesOfUser(callerId, workspaceIds);
    return byKey(workspaceIds, new Map(roles.map((row) => [row.workspaceId, row.role])), null);
  });

  const ownerId = new DataLoader<string, string | null>(async (workspaceIds) => {
    const owners = await store.ownersOf(workspaceIds);
    return byKey(workspaceIds, new Map(owners.map((row) => [row.workspaceId, row.userId])), null);
  });

  const memberCount = countLoader((workspaceIds) => store.memberCounts(workspaceIds));

  const members = pageLoader<Membership, Membership>(
    (workspaceIds, page) => store.memberPages(workspaceIds, page),
    (row) => row.workspaceId,
    memberCount,
    (row) => ({ createdAt: row.joinedAt, id: row.userId }),
    (row) => row,
  );

  const sharedWorkspaceCount = countLoader((userIds) =>
    callerId === null ? Promise.resolve(new Map<string, number>()) : store.sharedWorkspaceCounts(callerId, userIds),
  );
  /** A user's workspaces that the caller is also a member of (all of them, for the caller themself). */
  const sharedWorkspaces = pageLoader(
    async (userIds, page) => {
      if (callerId === null) return [];
      const rows = await store.sharedWorkspacePages(callerId, userIds, page);
      // The page's query read each workspace's OWNER and the caller's role too: owner and myRole need no query of their own.
      for (const row of rows) {
        ownerId.prime(row.id, row.ownerId);
        callerRole.prime(row.id, row.viewerRole);
      }
      return rows;
    },
    (row) => row.memberId,
    sharedWorkspaceCount,
    (row) => ({ createdAt: row.createdAt, id: row.id }),
    ({ memberId: _memberId, ownerId: _ownerId, viewerRole: _viewerRole, ...workspace }): Workspace => workspace,
  );

  const pendingInvitationCount = countLoader((workspaceIds) => invitationStore.pendingCounts(workspaceIds));
  /** A workspace's unanswered invitations; who may see them is the resolver's question. */
  const invitations = pageLoader<InvitationRecord, InvitationRecord>(
    (workspaceIds, page) => invitationStore.pendingPages(workspaceIds, page),
    (row) => row.workspaceId,
    pendingInvitationCount,
    (row) => ({ createdAt: row.createdAt, id: row.id }),
    (row) => row,
  );

  const all = [workspaceById, callerRole, ownerId, memberCount, members, sharedWorkspaceCount, sharedWorkspaces, pendingInvitationCount, invitations];
  return {
    workspaceById,
    callerRole,
    ownerId,
    memberCount,
    members,
    sharedWorkspaces,
    invitations,
    /** After a write, what was loaded before it is stale. */
    forgetAll(): void {
      for (const loader of all) loader.clearAll();
    },
    /** A workspace the caller has just created: its OWNER and one member, as the statement that created it left it. */
    rememberCreated(workspace: Workspace): void {
      if (callerId === null) return;
      workspaceById.prime(workspace.id, workspace);
      ownerId.prime(workspace.id, callerId);
      callerRole.prime(workspace.id, 'OWNER');
      memberCount.prime(workspace.id, 1);
    },
  };
}

export type WorkspaceLoaders = ReturnType<typeof createWorkspaceLoaders>;
