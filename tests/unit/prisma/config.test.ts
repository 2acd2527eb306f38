import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { SUBGRAPHS } from '@pyairtable/common/subgraphs';
import { loadConfigFromFile } from '@prisma/config';
import { subgraphPrismaConfig } from '../../../prisma/subgraph-prisma-config.js';

const root = new URL('../../..', import.meta.url).pathname;
const subgraphs = SUBGRAPHS.map((subgraph) => [subgraph.name, subgraph.databaseSchema]);

describe('prisma/<subgraph>/prisma.config.ts', () => {
  it.each(subgraphs)('%s: Prisma 7 CLI loads it and finds that subgraph’s schema and migrations', async (name) => {
    const configFile = join(root, 'prisma', name, 'prisma.config.ts');
    expect(existsSync(configFile)).toBe(true);
    const { config, error } = await loadConfigFromFile({ configFile });
    expect(error).toBeUndefined();
    expect(config?.schema).toBe(join(root, 'prisma', name, 'schema.prisma'));
    expect(config?.migrations?.path).toBe(join(root, 'prisma', name, 'migrations'));
  });

  it.each(subgraphs)('%s: DATABASE_URL narrowed to %s, where its migration history lives', (name, databaseSchema) => {
    const configFileUrl = pathToFileURL(join(root, 'prisma', name, 'prisma.config.ts')).href;
    const config = subgraphPrismaConfig(configFileUrl, { DATABASE_URL: 'postgresql://someone:secret@db.example:5433/graph?sslmode=require' });
    const url = new URL(config.datasource?.url ?? 'missing:');
    expect(url.host).toBe('db.example:5433');
    expect(url.pathname).toBe('/graph');
    expect(url.searchParams.get('schema')).toBe(databaseSchema);
    expect(url.searchParams.get('sslmode')).toBe('require');
    // Without DATABASE_URL there is no datasource: `prisma validate` works, the migrate commands name what is missing.
    expect(subgraphPrismaConfig(configFileUrl, {}).datasource).toBeUndefined();
  });
});
