import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, MigrationError, pgliteTarget } from '@pyairtable/migrator';
import { committedMigrations, copyPrismaDir } from './helpers.js';

/** Discards the migrator's progress lines. */
const quiet = (): void => undefined;

async function tablesIn(db: PGlite, schema: string): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((row) => row.table_name);
}

describe('applyMigrations on PGlite', () => {
  let db: PGlite;
  let prisma: Awaited<ReturnType<typeof copyPrismaDir>>;
  beforeAll(async () => {
    db = new PGlite();
    prisma = await copyPrismaDir(['auth']);
  });
  afterAll(async () => {
    await db.close();
    await prisma.remove();
  });

  it('applies the committed migrations once', async () => {
    const [first] = await applyMigrations({ target: pgliteTarget(db), prismaDir: prisma.dir, log: quiet });
    expect(first).toEqual({ subgraph: 'auth', postgresSchema: 'pyairtable_auth', applied: await committedMigrations(prisma.dir, 'auth') });
    expect(await tablesIn(db, 'pyairtable_auth')).toEqual(expect.arrayContaining(['_prisma_migrations', 'refresh_tokens', 'sessions', 'users']));

    const again = await applyMigrations({ target: pgliteTarget(db), prismaDir: prisma.dir, log: quiet });
    expect(again).toEqual([{ subgraph: 'auth', postgresSchema: 'pyairtable_auth', applied: [] }]);
  });

  it('rolls back a failing migration', async () => {
    const broken = '29991231235959_broken';
    await mkdir(join(prisma.dir, 'auth', 'migrations', broken));
    await writeFile(
      join(prisma.dir, 'auth', 'migrations', broken, 'migration.sql'),
      'CREATE TABLE "pyairtable_auth"."half_done" ("id" INTEGER);\nSELECT 1/0;\n',
    );
    const run = applyMigrations({ target: pgliteTarget(db), prismaDir: prisma.dir, log: quiet });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toMatchObject({ subgraph: 'auth', migration: broken });
    expect(await tablesIn(db, 'pyairtable_auth')).not.toContain('half_done');
    const { rows } = await db.query('SELECT 1 FROM pyairtable_auth._prisma_migrations WHERE migration_name = $1', [broken]);
    expect(rows).toEqual([]);
  });
});
