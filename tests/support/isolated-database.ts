import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, pgTarget } from '@pyairtable/migrator';
import { runAdminDatabaseUrl } from './environment.js';

/**
 * A database of its own (migrated like the run's unless asked not to), for tests whose assertions depend on global state
 * (e.g. "the last ADMIN") that other test files would otherwise share.
 */
export async function createIsolatedDatabase({ migrate = true } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = runAdminDatabaseUrl();
  const name = `pyairtable_test_isolated_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (migrate) await applyMigrations({ target: pgTarget(url.toString()), log: () => undefined });
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
