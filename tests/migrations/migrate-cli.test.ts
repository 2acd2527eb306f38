import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyPrismaDir, createTestDatabase, migrate, repoPrismaDir, type TestDatabase } from './helpers.js';
import { itemAt } from '../support/defined.js';

const authMigrationsDir = join(repoPrismaDir, 'auth', 'migrations');

async function committedAuthMigrations(): Promise<string[]> {
  const entries = await readdir(authMigrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function historyOf(db: TestDatabase, schema = 'pyairtable_auth') {
  return db.query<{ migration_name: string; checksum: string; finished: boolean; applied_steps_count: number }>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count
       FROM "${schema}"._prisma_migrations ORDER BY started_at`,
  );
}

async function tablesIn(db: TestDatabase, schema: string): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return rows.map((row) => row.table_name);
}

describe('db:migrate against Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies every committed auth migration with its history row, then nothing on a second run', async () => {
    const committed = await committedAuthMigrations();
    expect(committed[0]).toMatch(/^\d{14}_init$/);

    const first = await migrate(db.url);
    expect(first.code).toBe(0);
    for (const migration of committed) expect(first.stderr).toContain(`applying ${migration}`);
    expect(first.stdout).toContain(`auth (pyairtable_auth): applied ${committed.join(', ')}`);
    expect(await tablesIn(db, 'pyairtable_auth')).toEqual(expect.arrayContaining(['_prisma_migrations', 'refresh_tokens', 'sessions', 'users']));
    const expectedHistory = await Promise.all(
      committed.map(async (migration) => ({
        migration_name: migration,
        checksum: createHash('sha256')
          .update(await readFile(join(authMigrationsDir, migration, 'migration.sql')))
          .digest('hex'),
        finished: true,
        applied_steps_count: 1,
      })),
    );
    expect(await historyOf(db)).toEqual(expectedHistory);

    const second = await migrate(db.url);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('auth (pyairtable_auth): up to date');
    expect(await historyOf(db)).toHaveLength(committed.length);
  });
});

describe('db:migrate run twice at once', () => {
  let db: TestDatabase;
  let prisma: Awaited<ReturnType<typeof copyPrismaDir>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A slow migration keeps the first run busy long enough for the second to start while it works.
    prisma = await copyPrismaDir(['auth']);
    const slow = join(prisma.dir, 'auth', 'migrations', '29991231235959_slow');
    await mkdir(slow);
    await writeFile(join(slow, 'migration.sql'), 'SELECT pg_sleep(2);\nCREATE TABLE "pyairtable_auth"."slow" ("id" INTEGER);\n');
  });
  afterAll(async () => {
    await db.drop();
    await prisma.remove();
  });

  it('applies each migration exactly once and both runs succeed', async () => {
    const args = ['--prisma-dir', prisma.dir];
    const results = await Promise.all([migrate(db.url, args), migrate(db.url, args)]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    const history = await historyOf(db);
    expect(history.map((row) => row.migration_name)).toEqual([...(await committedAuthMigrations()), '29991231235959_slow']);
    expect(results.filter((result) => result.stdout.includes('applied')).length).toBe(1);
  });
});

describe('db:migrate with a broken migration', () => {
  let db: TestDatabase;
  let prisma: Awaited<ReturnType<typeof copyPrismaDir>>;
  const broken = '29991231235959_broken';
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = await copyPrismaDir(['auth']);
    await mkdir(join(prisma.dir, 'auth', 'migrations', broken));
    await writeFile(
      join(prisma.dir, 'auth', 'migrations', broken, 'migration.sql'),
      'CREATE TABLE "pyairtable_auth"."half_done" ("id" INTEGER);\nALTER TABLE "pyairtable_auth"."users" ADD COLUMN;\n',
    );
  });
  afterAll(async () => {
    await db.drop();
    await prisma.remove();
  });

  it('rolls the failing migration back, names it and exits non-zero', async () => {
    const result = await migrate(db.url, ['--prisma-dir', prisma.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`auth: migration ${broken} failed and was rolled back: syntax error`);
    expect(await tablesIn(db, 'pyairtable_auth')).not.toContain('half_done');
    const history = await historyOf(db);
    expect(history.map((row) => row.migration_name)).toEqual(await committedAuthMigrations());
    expect(history.every((row) => row.finished)).toBe(true);
  });

  it('reports a migration edited after it was applied', async () => {
    const init = itemAt(await committedAuthMigrations(), 0, 'the first committed auth migration');
    const initSql = join(prisma.dir, 'auth', 'migrations', init, 'migration.sql');
    await writeFile(initSql, `${await readFile(initSql, 'utf8')}\n-- edited\n`);
    const result = await migrate(db.url, ['--prisma-dir', prisma.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`auth: migration ${init} was edited after it was applied`);
  });
});

describe('db:migrate configuration errors', () => {
  it('requires DATABASE_URL', async () => {
    const result = await migrate(undefined);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL is not set');
  });

  it('refuses a database that does not exist', async () => {
    const db = await createTestDatabase();
    const url = new URL(db.url);
    await db.drop();
    const result = await migrate(url.toString());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Database "${url.pathname.slice(1)}" does not exist`);
  });
});
