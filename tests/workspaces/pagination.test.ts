import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { addMember, as, createWorkspace, dataOf, expectError, signUp, type Account } from './helpers.js';

const graph = useGraph();

interface Page<Node> {
  nodes: Node[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

const WORKSPACES_PAGE = `query Workspaces($first: Int, $after: String) {
  workspaces(first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { id createdAt } }
}`;

const MEMBERS_PAGE = `query Members($id: ID!, $first: Int, $after: String) {
  workspace(id: $id) {
    members(first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { user { id } joinedAt } }
  }
}`;

async function workspacesPage(account: Account, first?: number, after?: string | null) {
  const response = await as<{ workspaces: Page<{ id: string; createdAt: string }> }>(graph.url, account, WORKSPACES_PAGE, { first, after });
  return dataOf(response).workspaces;
}

async function membersPage(account: Account, id: string, first?: number, after?: string | null) {
  const response = await as<{ workspace: { members: Page<{ user: { id: string }; joinedAt: string }> } }>(graph.url, account, MEMBERS_PAGE, {
    id,
    first,
    after,
  });
  return dataOf(response).workspace.members;
}

/** Every page of a connection, following endCursor until hasNextPage is false. */
async function allPages<Node>(fetchPage: (after: string | null) => Promise<Page<Node>>): Promise<Array<Page<Node>>> {
  const pages: Array<Page<Node>> = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
}

/** Newest first, ties by id (descending), as every connection orders. */
function pageOrder<Node>(timeOf: (node: Node) => string, idOf: (node: Node) => string) {
  return (left: Node, right: Node) => timeOf(right).localeCompare(timeOf(left)) || idOf(right).localeCompare(idOf(left));
}

describe('Query.workspaces', () => {
  it('answers an empty page to a user in no workspace', async () => {
    const loner = await signUp(graph.url, { label: 'loner' });
    expect(await workspacesPage(loner)).toEqual({ totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false }, nodes: [] });
  });

  it('fits an exact page without announcing another', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const ids = [
      await createWorkspace(graph.url, owner, 'A'),
      await createWorkspace(graph.url, owner, 'B'),
      await createWorkspace(graph.url, owner, 'C'),
    ];
    const page = await workspacesPage(owner, 3);
    expect(page.nodes.map((node) => node.id)).toEqual([...ids].reverse());
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.totalCount).toBe(3);
    const after = await workspacesPage(owner, 3, page.pageInfo.endCursor);
    expect(after).toEqual({ totalCount: 3, pageInfo: { endCursor: null, hasNextPage: false }, nodes: [] });
  });

  it('walks every workspace once, newest first with ties by id, and ends on a short last page', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    // Created at once, so several share a millisecond and the id decides their order.
    await Promise.all(Array.from({ length: 11 }, (_, index) => createWorkspace(graph.url, owner, `W${index}`)));
    const pages = await allPages((after) => workspacesPage(owner, 4, after));
    expect(pages.map((page) => page.nodes.length)).toEqual([4, 4, 3]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.every((page) => page.totalCount === 11)).toBe(true);
    const nodes = pages.flatMap((page) => page.nodes);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(11);
    const order = pageOrder<{ id: string; createdAt: string }>(
      (node) => node.createdAt,
      (node) => node.id,
    );
    expect(nodes).toEqual([...nodes].sort(order));
  });

  it('refuses first outside 1..100 and a cursor it did not make with BAD_USER_INPUT naming the argument', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    await createWorkspace(graph.url, owner);
    for (const first of [0, -1, 101]) {
      expectError(await as(graph.url, owner, WORKSPACES_PAGE, { first }), 'BAD_USER_INPUT', 'first');
    }
    expect((await workspacesPage(owner, 100)).nodes).toHaveLength(1);
    const forged = [
      'not a cursor',
      Buffer.from('["2026-01-01T00:00:00.000Z","not-a-uuid"]').toString('base64url'),
      Buffer.from('{"id":1}').toString('base64url'),
    ];
    for (const after of forged) expectError(await as(graph.url, owner, WORKSPACES_PAGE, { first: 5, after }), 'BAD_USER_INPUT', 'after');
  });
});

describe('Workspace.members', () => {
  it('pages members newest joined first, ties by user id, with the total', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    const members: Account[] = [];
    for (let index = 0; index < 4; index += 1) {
      const member = await signUp(graph.url, { label: 'member' });
      await addMember(graph.url, owner, workspaceId, member, 'VIEWER');
      members.push(member);
    }
    const pages = await allPages((after) => membersPage(owner, workspaceId, 2, after));
    expect(pages.map((page) => page.nodes.length)).toEqual([2, 2, 1]);
    expect(pages.every((page) => page.totalCount === 5)).toBe(true);
    const ids = pages.flatMap((page) => page.nodes.map((node) => node.user.id));
    expect(ids).toEqual([...members.map((member) => member.id)].reverse().concat(owner.id));
  });

  it('answers the owner-only workspace with one exact page, then an empty one', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    const page = await membersPage(owner, workspaceId, 1);
    expect(page.nodes.map((node) => node.user.id)).toEqual([owner.id]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(await membersPage(owner, workspaceId, 1, page.pageInfo.endCursor)).toEqual({
      totalCount: 1,
      pageInfo: { endCursor: null, hasNextPage: false },
      nodes: [],
    });
  });

  it('refuses a bad first or cursor with BAD_USER_INPUT', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    expectError(await as(graph.url, owner, MEMBERS_PAGE, { id: workspaceId, first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await as(graph.url, owner, MEMBERS_PAGE, { id: workspaceId, after: 'garbage' }), 'BAD_USER_INPUT', 'after');
  });
});

describe('User.workspaces', () => {
  const SHARED = `query Shared($id: ID!, $first: Int, $after: String) {
    workspace(id: $id) {
      members(first: 100) { nodes { user { id workspaces(first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { id } } } } }
    }
  }`;

  async function workspacesOfMembers(reader: Account, workspaceId: string, first = 20, after?: string) {
    const response = await as<{
      workspace: { members: { nodes: Array<{ user: { id: string; workspaces: Page<{ id: string }> } }> } };
    }>(graph.url, reader, SHARED, { id: workspaceId, first, after });
    return new Map(dataOf(response).workspace.members.nodes.map((node) => [node.user.id, node.user.workspaces]));
  }

  it("shows only the workspaces the caller shares with the user, and all of the caller's own", async () => {
    const alice = await signUp(graph.url, { label: 'alice' });
    const bob = await signUp(graph.url, { label: 'bob' });
    const aliceOnly = await createWorkspace(graph.url, alice, 'Alice only');
    const sharedOld = await createWorkspace(graph.url, alice, 'Shared old');
    const sharedNew = await createWorkspace(graph.url, bob, 'Shared new');
    const bobOnly = await createWorkspace(graph.url, bob, 'Bob only');
    await addMember(graph.url, alice, sharedOld, bob, 'VIEWER');
    await addMember(graph.url, bob, sharedNew, alice, 'EDITOR');

    const seenByBob = await workspacesOfMembers(bob, sharedOld);
    expect(seenByBob.get(alice.id)?.nodes.map((node) => node.id)).toEqual([sharedNew, sharedOld]);
    expect(seenByBob.get(alice.id)?.totalCount).toBe(2);
    expect(seenByBob.get(bob.id)?.nodes.map((node) => node.id)).toEqual([bobOnly, sharedNew, sharedOld]);

    const seenByAlice = await workspacesOfMembers(alice, sharedNew);
    expect(seenByAlice.get(bob.id)?.nodes.map((node) => node.id)).toEqual([sharedNew, sharedOld]);
    expect(seenByAlice.get(alice.id)?.nodes.map((node) => node.id)).toEqual([sharedNew, sharedOld, aliceOnly]);

    const firstPage = (await workspacesOfMembers(alice, sharedNew, 1)).get(bob.id);
    expect(firstPage).toEqual({ totalCount: 2, pageInfo: { endCursor: expect.any(String), hasNextPage: true }, nodes: [{ id: sharedNew }] });
    const secondPage = (await workspacesOfMembers(alice, sharedNew, 1, firstPage?.pageInfo.endCursor ?? undefined)).get(bob.id);
    expect(secondPage?.nodes).toEqual([{ id: sharedOld }]);
    expect(secondPage?.pageInfo.hasNextPage).toBe(false);
  });
});
