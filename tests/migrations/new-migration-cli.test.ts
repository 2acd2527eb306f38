import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pendingSchemaChanges } from '@pyairtable/migrator';
import { copyPrismaDir, createTestDatabase, migrate, runScript, type TestDatabase } from './helpers.js';

const newMigration = (args: string[]) => runScript('scripts/db/new-migration.ts', args);

async function migrationDirs(prismaDir: string): Promise<string[]> {
  const entries = await readdir(join(prismaDir, 'auth', 'migrations'), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('db:migration:new', () => {
  let prisma: Awaited<ReturnType<typeof copyPrismaDir>>;
  let db: TestDatabase;
  beforeAll(async () => {
    prisma = await copyPrismaDir(['auth']);
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await prisma.remove();
    await db.drop();
  });

  it('keeps the repository schema.prisma and its committed migrations in sync', async () => {
    expect(await pendingSchemaChanges({ subgraph: 'auth' })).toBe('');
  });

  it('writes nothing when schema.prisma matches the migrations', async () => {
    const before = await migrationDirs(prisma.dir);
    const result = await newMigration(['auth', 'nothing', '--prisma-dir', prisma.dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no changes');
    expect(await migrationDirs(prisma.dir)).toEqual(before);
  });

  it('writes the ALTER for an added field, which then applies', async () => {
    const schemaPath = join(prisma.dir, 'auth', 'schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    const withField = schema.replace(
      '  passwordHash String    @map("password_hash")\n',
      '  passwordHash String    @map("password_hash")\n  displayName  String?   @map("display_name")\n',
    );
    expect(withField).not.toBe(schema);
    await writeFile(schemaPath, withField);

    const result = await newMigration(['auth', 'Add display name', '--prisma-dir', prisma.dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const added = (await migrationDirs(prisma.dir)).at(-1) ?? '';
    expect(added).toMatch(/^\d{14}_add_display_name$/);
    const sql = await readFile(join(prisma.dir, 'auth', 'migrations', added, 'migration.sql'), 'utf8');
    expect(sql).toMatch(/ALTER TABLE "pyairtable_auth"\."users" ADD COLUMN\s+"display_name" TEXT;/);

    expect((await newMigration(['auth', 'again', '--prisma-dir', prisma.dir])).stdout).toContain('no changes');

    const applied = await migrate(db.url, ['--prisma-dir', prisma.dir]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(added);
    const columns = await db.query(
      `SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'pyairtable_auth' AND table_name = 'users' AND column_name = 'display_name'`,
    );
    expect(columns).toHaveLength(1);
  });

  it('rejects an unknown subgraph', async () => {
    const result = await newMigration(['billing', 'init', '--prisma-dir', prisma.dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No subgraph "billing"');
  });
});
