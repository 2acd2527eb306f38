// The migrator's --check, which the subgraphs' init containers run so a new version serves only once the migration
// Job has applied its migrations: it changes nothing, exits 1 while a committed migration is not applied, and with
// --wait keeps asking until it is.
import { spawn } from 'node:child_process';
import { SUBGRAPHS } from '@pyairtable/common/subgraphs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  committedMigrations,
  createTestDatabase,
  migrate,
  repoPrismaDir,
  repoRoot,
  type CliResult,
  type TestDatabase,
} from '../migrations/helpers.js';

/** The compiled entry point the migrate image runs (`npm run build` compiles it; `npm test` builds first). */
function compiledCli(databaseUrl: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'packages/migrator/dist/cli.js'), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function pendingLine(subgraph: string): Promise<string> {
  return `${subgraph} (pyairtable_${subgraph}): not applied ${(await committedMigrations(repoPrismaDir, subgraph)).join(', ')}`;
}

describe('migrate --check', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('exits 1 on a fresh database, naming every migration not applied, and creates nothing', async () => {
    const result = await migrate(db.url, ['--check']);
    expect(result.code).toBe(1);
    for (const { name: subgraph } of SUBGRAPHS) expect(result.stdout).toContain(await pendingLine(subgraph));
    const schemas = await db.query<{ schema_name: string }>(
      "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'pyairtable_%'",
    );
    expect(schemas).toEqual([]);
  });

  it('checks only the subgraphs named with --subgraph: one is up to date while another is not', async () => {
    expect((await migrate(db.url, ['--subgraph', 'users'])).code).toBe(0);
    const users = await migrate(db.url, ['--check', '--subgraph', 'users']);
    expect([users.code, users.stdout.trim()]).toEqual([0, 'users (pyairtable_users): up to date']);
    const auth = await migrate(db.url, ['--check', '--subgraph', 'auth']);
    expect([auth.code, auth.stdout.trim()]).toEqual([1, await pendingLine('auth')]);
  });

  it('with --wait, keeps asking until the migrations are applied, then exits 0', async () => {
    const waiting = migrate(db.url, ['--check', '--wait', '60', '--subgraph', 'auth']);
    await sleep(2_500);
    expect((await migrate(db.url, ['--subgraph', 'auth'])).code).toBe(0);
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('waiting for migrations: auth (pyairtable_auth): not applied');
    expect(result.stdout.trim()).toBe('auth (pyairtable_auth): up to date');
  });

  it('with --wait, gives up with exit 1 when they are still not applied at the deadline', async () => {
    const started = Date.now();
    const result = await migrate(db.url, ['--check', '--wait', '2', '--subgraph', 'workspaces']);
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(result.stdout.trim()).toBe(await pendingLine('workspaces'));
  });

  it('takes --wait only with --check', async () => {
    const result = await migrate(db.url, ['--wait', '5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--wait takes a whole number of seconds and goes with --check');
  });

  it('answers the same from the compiled entry point the migrate image runs', async () => {
    const before = await compiledCli(db.url, ['--check']);
    expect([before.code, before.stdout]).toEqual([1, expect.stringContaining(await pendingLine('workspaces'))]);
    const applied = await compiledCli(db.url, []);
    expect([applied.code, applied.stdout]).toEqual([0, expect.stringContaining('workspaces (pyairtable_workspaces): applied')]);
    const after = await compiledCli(db.url, ['--check']);
    expect([after.code, after.stdout.trim().split('\n')]).toEqual([
      0,
      SUBGRAPHS.map(({ name, databaseSchema }) => `${name} (${databaseSchema}): up to date`),
    ]);
  });
});
