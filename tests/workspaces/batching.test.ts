import { describe, expect, it } from '@jest/globals';
import { counterValue } from '../support/metrics.js';
import { useGraph } from '../support/use-graph.js';
import { CREATE_WORKSPACE, addMember, as, createWorkspace, dataOf, signUp, type Account } from './helpers.js';

// The router's default cost limit refuses a 50 × 50 nested read; what is measured here is the subgraphs.
const graph = useGraph();

const queriesSoFar = (baseUrl: string) => counterValue(baseUrl, 'db_queries_total', { origin: 'request' });

/** SQL statements each subgraph ran for one request (background work is counted apart), the least of a few runs. */
async function queriesPerSubgraph(run: () => Promise<void>, runs = 3): Promise<Record<string, number>> {
  const subgraphs = Object.entries(graph.subgraphUrls);
  const least: Record<string, number> = {};
  for (let attempt = 0; attempt < runs; attempt += 1) {
    const before = await Promise.all(subgraphs.map(([, baseUrl]) => queriesSoFar(baseUrl)));
    await run();
    const after = await Promise.all(subgraphs.map(([, baseUrl]) => queriesSoFar(baseUrl)));
    subgraphs.forEach(([subgraph], index) => {
      const used = (after[index] ?? 0) - (before[index] ?? 0);
      least[subgraph] = Math.min(least[subgraph] ?? Infinity, used);
    });
  }
  return least;
}

/** An owner with `workspaceCount` workspaces, each with `memberCount` members (the owner and the same others). */
async function ownerWith(workspaceCount: number, memberCount: number): Promise<Account> {
  const owner = await signUp(graph.url, { label: 'owner' });
  const others = await Promise.all(Array.from({ length: memberCount - 1 }, () => signUp(graph.url, { label: 'member' })));
  await Promise.all(
    Array.from({ length: workspaceCount }, async (_, index) => {
      const workspaceId = await createWorkspace(graph.url, owner, `Workspace ${index}`);
      for (const member of others) await addMember(graph.url, owner, workspaceId, member, index % 2 ? 'EDITOR' : 'VIEWER');
    }),
  );
  return owner;
}

/** The profile fields the graph has: displayName comes with the users subgraph. */
function userFields(): string {
  return 'users' in graph.subgraphUrls ? 'email displayName' : 'email';
}

interface WorkspacesAnswer {
  workspaces: {
    nodes: Array<{
      myRole?: string;
      memberCount?: number;
      owner: { email: string };
      members: { totalCount?: number; nodes: Array<{ user: { email: string; workspaces?: { totalCount: number } } }> };
    }>;
  };
}

describe('batching: the queries a request costs do not grow with the workspaces and members it reads', () => {
  const sizes = [
    { workspaces: 3, members: 3 },
    { workspaces: 12, members: 12 },
  ];

  it('answers workspaces → owner, members → user with the same number of SQL queries per subgraph', async () => {
    const query = `{ workspaces(first: 50) { nodes { owner { ${userFields()} } members(first: 50) { nodes { user { ${userFields()} } } } } } }`;
    const counts: Array<Record<string, number>> = [];
    for (const size of sizes) {
      const owner = await ownerWith(size.workspaces, size.members);
      const run = async () => {
        const { workspaces } = dataOf(await as<WorkspacesAnswer>(graph.url, owner, query));
        expect(workspaces.nodes).toHaveLength(size.workspaces);
        for (const workspace of workspaces.nodes) {
          expect(workspace.owner.email).toBe(owner.email);
          expect(workspace.members.nodes).toHaveLength(size.members);
        }
      };
      await run();
      counts.push(await queriesPerSubgraph(run));
    }
    console.log(`SQL queries per subgraph, workspaces → owner, members → user:\n${report(counts)}`);
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[0]?.['workspaces']).toBeGreaterThan(0);
  });

  it('answers myRole, memberCount, members.totalCount and every member’s User.workspaces with the same number too', async () => {
    const query = `{ workspaces(first: 50) { nodes {
      myRole memberCount owner { email }
      members(first: 50) { totalCount nodes { user { email workspaces(first: 5) { totalCount } } } }
    } } }`;
    const counts: Array<Record<string, number>> = [];
    for (const size of sizes) {
      const owner = await ownerWith(size.workspaces, size.members);
      const run = async () => {
        const { workspaces } = dataOf(await as<WorkspacesAnswer>(graph.url, owner, query));
        expect(workspaces.nodes).toHaveLength(size.workspaces);
        for (const workspace of workspaces.nodes) {
          expect(workspace).toMatchObject({ myRole: 'OWNER', memberCount: size.members, members: { totalCount: size.members } });
          for (const { user } of workspace.members.nodes) expect(user.workspaces?.totalCount).toBe(size.workspaces);
        }
      };
      await run();
      counts.push(await queriesPerSubgraph(run));
    }
    console.log(`SQL queries per subgraph, with myRole, memberCount and User.workspaces:\n${report(counts)}`);
    expect(counts[1]).toEqual(counts[0]);
  });

  it('counts a page’s totalCount only when the query asks for it', async () => {
    const owner = await ownerWith(2, 3);
    const page = (totalCount: string) =>
      `{ workspaces(first: 5) { ${totalCount} nodes { owner { email } members(first: 5) { ${totalCount} nodes { role } } } } }`;
    const read = (query: string) => async () => {
      const { workspaces } = dataOf(await as<WorkspacesAnswer>(graph.url, owner, query));
      expect(workspaces.nodes).toHaveLength(2);
    };
    const withoutCounts = await queriesPerSubgraph(read(page('')));
    const withCounts = await queriesPerSubgraph(read(page('totalCount')));
    console.log(`SQL queries per subgraph, pages without and with totalCount: ${JSON.stringify(withoutCounts)} ${JSON.stringify(withCounts)}`);
    // One COUNT for the caller's workspaces, one for the members of both workspaces.
    expect(withCounts['workspaces']).toBe((withoutCounts['workspaces'] ?? 0) + 2);
    const counted = dataOf(
      await as<{ workspaces: { totalCount: number; nodes: Array<{ members: { totalCount: number } }> } }>(graph.url, owner, page('totalCount')),
    );
    expect(counted.workspaces.totalCount).toBe(2);
    expect(counted.workspaces.nodes.map((workspace) => workspace.members.totalCount)).toEqual([3, 3]);
  });

  it('reads a workspace’s owner and the caller’s role with the page of workspaces, not in queries of their own', async () => {
    const owner = await ownerWith(2, 2);
    const read = (fields: string) => async () => {
      const { workspaces } = dataOf(await as<WorkspacesAnswer>(graph.url, owner, `{ workspaces(first: 5) { nodes { id ${fields} } } }`));
      expect(workspaces.nodes).toHaveLength(2);
      for (const workspace of workspaces.nodes) expect(workspace).toMatchObject(fields ? { myRole: 'OWNER', owner: { id: owner.id } } : {});
    };
    const idsOnly = await queriesPerSubgraph(read(''));
    const withOwnerAndRole = await queriesPerSubgraph(read('myRole owner { id }'));
    expect(withOwnerAndRole['workspaces']).toBe(idsOnly['workspaces']);
  });

  it('creates a workspace with its OWNER in one statement, and answers its owner, myRole and memberCount without more', async () => {
    const owner = await signUp(graph.url, { label: 'creator' });
    const created: Array<{ id: string; name: string; myRole: string; memberCount: number; owner: { id: string } }> = [];
    const create = async () => {
      const answer = await as<{ createWorkspace: (typeof created)[number] }>(graph.url, owner, CREATE_WORKSPACE, {
        input: { name: `Created ${created.length}` },
      });
      created.push(dataOf(answer).createWorkspace);
    };
    const counts = await queriesPerSubgraph(create);
    expect(counts['workspaces']).toBe(1);
    for (const workspace of created) expect(workspace).toMatchObject({ myRole: 'OWNER', memberCount: 1, owner: { id: owner.id } });
    // What that one statement wrote reads back the same from a request of its own.
    const read = dataOf(await as<WorkspacesAnswer>(graph.url, owner, `{ workspaces(first: 5) { nodes { myRole memberCount owner { email } } } }`));
    expect(read.workspaces.nodes).toHaveLength(created.length);
    for (const workspace of read.workspaces.nodes)
      expect(workspace).toMatchObject({ myRole: 'OWNER', memberCount: 1, owner: { email: owner.email } });
  });

  function report(counts: Array<Record<string, number>>): string {
    return sizes.map((size, index) => `  ${size.workspaces} workspaces × ${size.members} members: ${JSON.stringify(counts[index])}`).join('\n');
  }
});
