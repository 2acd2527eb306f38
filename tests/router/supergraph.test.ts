import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HttpService } from '@pyairtable/common/http';
import { MemoryRevocationChannel } from '@pyairtable/common/identity';
import { createRouter, inProcessRouterInfrastructure } from '@pyairtable/router/server';
import { loadRouterConfig } from '@pyairtable/router/config';
import { graphql, register } from '../support/client.js';
import { testEnvironment } from '../support/graph.js';
import { useGraph } from '../support/use-graph.js';

const COMMITTED_SUPERGRAPH = new URL('../../supergraph.graphql', import.meta.url);

/** A router on the given supergraph file, with in-process stores so only the supergraph can fail it. */
async function routerOn(supergraphFile: string, env: Record<string, string>) {
  const config = loadRouterConfig({ ...env, SUPERGRAPH_FILE: supergraphFile });
  return createRouter(config, inProcessRouterInfrastructure(config, new MemoryRevocationChannel()));
}

describe('the supergraph file', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'pyairtable-supergraph-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses to start on a file that is not a supergraph, naming the file', async () => {
    const file = join(directory, 'subgraph-sdl.graphql');
    await writeFile(file, 'type Query { hello: String }\n');
    await expect(routerOn(file, await testEnvironment())).rejects.toThrow(`${file} (SUPERGRAPH_FILE) is not a valid supergraph`);
  });

  it('refuses to start on a file that does not parse, naming the file', async () => {
    const file = join(directory, 'truncated.graphql');
    await writeFile(file, (await readFile(COMMITTED_SUPERGRAPH, 'utf8')).slice(0, 500));
    await expect(routerOn(file, await testEnvironment())).rejects.toThrow(`${file} (SUPERGRAPH_FILE) is not a valid supergraph`);
  });

  it('refuses to start without the file, naming it', async () => {
    const file = join(directory, 'missing.graphql');
    await expect(routerOn(file, await testEnvironment())).rejects.toThrow(`Cannot read the supergraph ${file} (SUPERGRAPH_FILE)`);
  });

  describe('routing URLs', () => {
    // Declared before the graph, so the test's router closes before the subgraphs it talks to.
    let router: HttpService | undefined;
    afterAll(async () => {
      await router?.close();
    });
    const graph = useGraph();

    it('sends each subgraph its routing_url from the supergraph when no setting overrides it', async () => {
      let supergraph = await readFile(COMMITTED_SUPERGRAPH, 'utf8');
      for (const [name, url] of Object.entries(graph.subgraphUrls)) {
        supergraph = supergraph.replace(
          /(@join__graph\(name: ")([^"]+)(", url: ")[^"]+"/g,
          (whole: string, before: string, graphName: string, middle: string) =>
            graphName === name ? `${before}${graphName}${middle}${url}/graphql"` : whole,
        );
      }
      const file = join(directory, 'routed.graphql');
      await writeFile(file, supergraph);
      router = (await routerOn(file, graph.env)).service;
      const { url } = await router.listen(0, '127.0.0.1');

      const health = await fetch(`${url}/health`);
      expect(await health.json()).toEqual({ status: 'ok', services: { auth: 'ok', users: 'ok', workspaces: 'ok' } });
      const user = await register(url);
      const me = await graphql(url, '{ me { id workspaces { totalCount } } }', {}, { token: user.accessToken });
      expect(me.body).toEqual({ data: { me: { id: user.user.id, workspaces: { totalCount: 0 } } } });
    });
  });
});
