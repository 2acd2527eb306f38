import DataLoader from 'dataloader';
import { toConnection, type Connection, type PageRequest } from '@pyairtable/common/graphql';
import type { InvitationRecord, InvitationStore } from './data/invitation-store.js';
import type { WorkspaceStore } from './data/workspace-store.js';
import type { Membership, Workspace, WorkspaceRole } from './generated/prisma/client.js';

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
 * distinct ones, however many parents it reaches): the fetch answers rows of every parent together.
 */
function pageLoader<Row, Node>(
  fetchPages: (parentIds: string[], page: PageRequest) => Promise<Row[]>,
  parentOf: (row: Row) => string,
  totalCounts: (parentIds: string[]) => Promise<number[]>,
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
      const fetchingPages = [...requests.values()].map(async ({ page, parentIds }) => {
        for (const row of await fetchPages(parentIds, page)) {
          const key = pageCacheKey({ parentId: parentOf(row), page });
          const rows = rowsByKey.get(key);
          if (rows) rows.push(row);
          else rowsByKey.set(key, [row]);
        }
      });
      const [totals] = await Promise.all([totalCounts(keys.map((key) => key.parentId)), ...fetchingPages]);
      return keys.map((key, index) => toConnection(rowsByKey.get(pageCacheKey(key)) ?? [], key.page, totals[index] ?? 0, position, toNode));
    },
    { cacheKeyFn: pageCacheKey },
  );
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

  const memberCount = new DataLoader<string, number>(async (workspaceIds) => byKey(workspaceIds, await store.memberCounts(workspaceIds), 0));

  const members = pageLoader<Membership, Membership>(
    (workspaceIds, page) => store.memberPages(workspaceIds, page),
    (row) => row.workspaceId,
    async (workspaceIds) => (await memberCount.loadMany(workspaceIds)).map((count) => (typeof count === 'number' ? count : 0)),
    (row) => ({ createdAt: row.joinedAt, id: row.userId }),
    (row) => row,
  );

  /** A user's workspaces that the caller is also a member of (all of them, for the caller themself). */
  const sharedWorkspaces = pageLoader(
    (userIds, page) => (callerId === null ? Promise.resolve([]) : store.sharedWorkspacePages(callerId, userIds, page)),
    (row) => row.memberId,
    async (userIds) => {
      if (callerId === null) return userIds.map(() => 0);
      return byKey(userIds, await store.sharedWorkspaceCounts(callerId, userIds), 0);
    },
    (row) => ({ createdAt: row.createdAt, id: row.id }),
    ({ memberId: _memberId, ...workspace }): Workspace => workspace,
  );

  /** A workspace's unanswered invitations; who may see them is the resolver's question. */
  const invitations = pageLoader<InvitationRecord, InvitationRecord>(
    (workspaceIds, page) => invitationStore.pendingPages(workspaceIds, page),
    (row) => row.workspaceId,
    async (workspaceIds) => byKey(workspaceIds, await invitationStore.pendingCounts(workspaceIds), 0),
    (row) => ({ createdAt: row.createdAt, id: row.id }),
    (row) => row,
  );

  const all = [workspaceById, callerRole, ownerId, memberCount, members, sharedWorkspaces, invitations];
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
  };
}

export type WorkspaceLoaders = ReturnType<typeof createWorkspaceLoaders>;
