import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's prisma/ directory, found from this package's location so any working directory will do. */
export const defaultPrismaDir = fileURLToPath(new URL('../../../prisma', import.meta.url));

export interface CommittedMigration {
  /** The migration's directory name, `<YYYYMMDDHHMMSS>_<name>`. */
  name: string;
  sql: string;
  /** SHA-256 (hex) of migration.sql, as Prisma records it in `_prisma_migrations.checksum`. */
  checksum: string;
}

export interface Subgraph {
  name: string;
  schemaPath: string;
  schemaContent: string;
  /** The Postgres schema that holds all of the subgraph's tables and its migration history. */
  postgresSchema: string;
  migrationsDir: string;
  migrations: CommittedMigration[];
}

/** Every subgraph under `prismaDir`: each directory that holds a schema.prisma, in name order. */
export async function listSubgraphs(prismaDir: string): Promise<string[]> {
  const entries = await readdir(prismaDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(join(prismaDir, entry.name, 'schema.prisma')))
    .map((entry) => entry.name)
    .sort();
}

export async function readSubgraph(prismaDir: string, name: string): Promise<Subgraph> {
  const schemaPath = join(prismaDir, name, 'schema.prisma');
  if (!existsSync(schemaPath)) {
    const known = await listSubgraphs(prismaDir);
    throw new Error(`No subgraph "${name}" in ${prismaDir} (found: ${known.join(', ') || 'none'})`);
  }
  const schemaContent = await readFile(schemaPath, 'utf8');
  const migrationsDir = join(prismaDir, name, 'migrations');
  return {
    name,
    schemaPath,
    schemaContent,
    postgresSchema: postgresSchemaOf(schemaContent, schemaPath),
    migrationsDir,
    migrations: await readCommittedMigrations(migrationsDir),
  };
}

function postgresSchemaOf(schemaContent: string, schemaPath: string): string {
  const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(schemaContent)?.[1] ?? '';
  const list = /schemas\s*=\s*\[([^\]]*)\]/.exec(datasource)?.[1] ?? '';
  const schemas = Array.from(list.matchAll(/"([^"]+)"/g), (match) => match[1] ?? '');
  const [only] = schemas;
  if (schemas.length !== 1 || only === undefined) {
    throw new Error(`${schemaPath}: the datasource must list exactly one Postgres schema in schemas = [...]`);
  }
  return only;
}

async function readCommittedMigrations(migrationsDir: string): Promise<CommittedMigration[]> {
  if (!existsSync(migrationsDir)) return [];
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration directory ${join(migrationsDir, name)} has no migration.sql`);
      const bytes = await readFile(file);
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}
