// The subgraph registry (packages/common/src/subgraphs/registry.ts) is the one list of subgraphs: every other
// place that names them is checked against it here (the deployment files in tests/deployment).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { SUBGRAPHS, loadSubgraph } from '@pyairtable/common/subgraphs';
import { readSubgraph } from '@pyairtable/migrator';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

describe('the subgraph registry', () => {
  it('names every folder under subgraphs/ and prisma/, and nothing else', () => {
    const folders = (parent: string) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    const names = SUBGRAPHS.map(({ name }) => name).sort();
    expect(folders('subgraphs')).toEqual(names);
    expect(folders('prisma')).toEqual(names);
  });

  it('agrees with supergraph.yaml on names, ports and schema files', () => {
    const config = parse(readFileSync(join(root, 'supergraph.yaml'), 'utf8')) as SupergraphConfig;
    expect(Object.keys(config.subgraphs).sort()).toEqual(SUBGRAPHS.map(({ name }) => name).sort());
    for (const { name, port } of SUBGRAPHS) {
      const entry = config.subgraphs[name];
      expect({ name, port: new URL(entry?.routing_url ?? '').port, file: entry?.schema.file }).toEqual({
        name,
        port: String(port),
        file: `./subgraphs/${name}/schema.graphql`,
      });
    }
  });

  it("agrees with each subgraph's Prisma schema on its Postgres schema", async () => {
    for (const { name, databaseSchema } of SUBGRAPHS) {
      expect({ name, schema: (await readSubgraph(join(root, 'prisma'), name)).postgresSchema }).toEqual({ name, schema: databaseSchema });
    }
  });

  it('finds each package, its public entry points and its definition', async () => {
    const references = (readJson('tsconfig.json') as { references: Array<{ path: string }> }).references.map(({ path }) => path);
    for (const { name } of SUBGRAPHS) {
      const manifest = readJson(`subgraphs/${name}/package.json`) as { name: string; exports: Record<string, unknown> };
      expect({ name: manifest.name, entryPoints: Object.keys(manifest.exports).sort() }).toEqual({
        name: `@pyairtable/${name}-subgraph`,
        entryPoints: ['./config', './server'],
      });
      expect(references).toContain(`subgraphs/${name}`);
      expect(existsSync(join(root, 'subgraphs', name, 'src', 'main.ts'))).toBe(true);
      expect((await loadSubgraph(name)).name).toBe(name);
    }
  });
});
