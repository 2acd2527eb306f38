// What `prisma/<subgraph>/prisma.config.ts` gives Prisma's CLI (Prisma 7 reads the datasource URL from a config
// file, not from the schema): that subgraph's schema, its migrations folder, and DATABASE_URL narrowed to the
// subgraph's Postgres schema, where its `_prisma_migrations` history lives. For `prisma migrate status`,
// `prisma studio` and the like on a machine that has Prisma's native engine; the project itself never needs them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type PrismaConfig } from 'prisma/config';

/** The Postgres schema a Prisma schema names (`schemas = ["pyairtable_auth"]`). */
export function databaseSchemaOf(prismaSchema: string): string {
  const named = /^\s*schemas\s*=\s*\[\s*"([^"]+)"\s*\]/m.exec(prismaSchema)?.[1];
  if (!named) throw new Error('the datasource block names no `schemas = ["…"]`');
  return named;
}

/** DATABASE_URL with `schema=` set, which Prisma's schema engine reads as the search path. */
export function withDatabaseSchema(databaseUrl: string, databaseSchema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', databaseSchema);
  return url.toString();
}

/** The config for the subgraph whose folder holds the calling config file (pass its `import.meta.url`). */
export function subgraphPrismaConfig(configFileUrl: string, env: NodeJS.ProcessEnv = process.env): ReturnType<typeof defineConfig> {
  const folder = dirname(fileURLToPath(configFileUrl));
  const schema = join(folder, 'schema.prisma');
  const databaseUrl = env['DATABASE_URL'];
  const config: PrismaConfig = {
    schema,
    migrations: { path: join(folder, 'migrations') },
    // Left out without DATABASE_URL: `prisma validate` and `generate` need none, and the commands that do say so.
    ...(databaseUrl ? { datasource: { url: withDatabaseSchema(databaseUrl, databaseSchemaOf(readFileSync(schema, 'utf8'))) } } : {}),
  };
  return defineConfig(config);
}
