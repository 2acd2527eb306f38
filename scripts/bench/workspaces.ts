// npm run bench:workspaces — the contract's 50 workspaces × 50 members query: SQL queries per subgraph at
// two sizes, and its latency through the router.
import { startGraph, type TestGraph } from '../../tests/support/graph.js';
import { graphql, register, type AuthPayload } from '../../tests/support/client.js';
import { describeSamples, inBatches, percentile, timeEach } from './stats.js';
import { withTestDatabase } from './with-test-graph.js';

const QUERY = `{ workspaces(first: 50) { nodes { owner { email displayName } members(first: 50) { nodes { user { email displayName } } } } } }`;
const SUBGRAPHS = ['auth', 'users', 'workspaces'] as const;

/** One count per subgraph. */
type PerSubgraph = Record<(typeof SUBGRAPHS)[number], number>;

async function mustSucceed(response: Promise<{ body: { errors?: unknown[]; data?: unknown } }>) {
  const { body } = await response;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** An owner with `workspaces` workspaces of `members` members each (the owner included). */
async function seed(graph: TestGraph, workspaces: number, members: number): Promise<AuthPayload> {
  const owner = await register(graph.routerUrl);
  const others: AuthPayload[] = [];
  await inBatches(
    Array.from({ length: members - 1 }, (_, index) => index),
    8,
    async () => {
      others.push(await register(graph.routerUrl));
    },
  );
  const ids: string[] = [];
  for (let index = 0; index < workspaces; index += 1) {
    const data = (await mustSucceed(
      graphql(
        graph.routerUrl,
        'mutation ($name: String!) { createWorkspace(input: { name: $name }) { id } }',
        { name: `Workspace ${index}` },
        { token: owner.accessToken },
      ),
    )) as { createWorkspace: { id: string } };
    ids.push(data.createWorkspace.id);
  }
  const additions = ids.flatMap((workspaceId) => others.map((member) => ({ workspaceId, email: member.user.email })));
  await inBatches(additions, 8, ({ workspaceId, email }) =>
    mustSucceed(
      graphql(
        graph.routerUrl,
        'mutation ($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e, role: EDITOR) { role } }',
        { w: workspaceId, e: email },
        { token: owner.accessToken },
      ),
    ),
  );
  return owner;
}

async function queriesRun(graph: TestGraph): Promise<PerSubgraph> {
  const counts: PerSubgraph = { auth: Number.NaN, users: Number.NaN, workspaces: Number.NaN };
  for (const name of SUBGRAPHS) {
    const metrics = await (await fetch(`${graph.subgraphUrls[name]}/metrics`)).text();
    counts[name] = Number(/^db_queries_total\{[^}]*origin="request"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? Number.NaN);
  }
  return counts;
}

/** SQL queries each subgraph runs for one request (the fewest over a few tries, since background pollers add some). */
async function queriesPerRequest(graph: TestGraph, token: string): Promise<PerSubgraph> {
  const fewest: PerSubgraph = { auth: Infinity, users: Infinity, workspaces: Infinity };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = await queriesRun(graph);
    await mustSucceed(graphql(graph.routerUrl, QUERY, {}, { token }));
    const after = await queriesRun(graph);
    for (const name of SUBGRAPHS) fewest[name] = Math.min(fewest[name], after[name] - before[name]);
  }
  return fewest;
}

await withTestDatabase(async () => {
  const graph = await startGraph({ RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    const seedStarted = performance.now();
    const small = await seed(graph, 5, 5);
    const large = await seed(graph, 50, 50);
    console.log(`seeded 5×5 and 50×50 through the router in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const smallCounts = await queriesPerRequest(graph, small.accessToken);
    const largeCounts = await queriesPerRequest(graph, large.accessToken);
    console.log('SQL queries per request, per subgraph:');
    for (const name of SUBGRAPHS) console.log(`  ${name.padEnd(10)} 5×5: ${smallCounts[name]}   50×50: ${largeCounts[name]}`);

    await timeEach(5, () => graphql(graph.routerUrl, QUERY, {}, { token: large.accessToken }));
    const baseline = await timeEach(30, () => graphql(graph.routerUrl, QUERY, {}, { token: small.accessToken }));
    const samples = await timeEach(30, () => graphql(graph.routerUrl, QUERY, {}, { token: large.accessToken }));
    console.log(describeSamples('the query at 5×5 through the router (baseline)', baseline));
    console.log(describeSamples('the query at 50×50 through the router', samples));
    console.log(`  50×50 p50 / 5×5 p50 = ${(percentile(samples, 0.5) / percentile(baseline, 0.5)).toFixed(1)}× for 100× the members`);
  } finally {
    await graph.close();
  }
});
