import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates the run's database (migrated with `npm run db:migrate`, as users do) and chooses the run's
 * Redis key prefix. Point the tests at other servers with TEST_DATABASE_URL (a superuser connection, used
 * only to create and drop the run's database) and TEST_REDIS_URL.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseName = `pyairtable_test_${runId}`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();

  process.env['PYAIRTABLE_TEST_ADMIN_DATABASE_URL'] = adminUrl;
  process.env['PYAIRTABLE_TEST_DATABASE_NAME'] = databaseName;
  process.env['PYAIRTABLE_TEST_DATABASE_URL'] = databaseUrl.toString();
  process.env['PYAIRTABLE_TEST_REDIS_URL'] = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  process.env['PYAIRTABLE_TEST_REDIS_PREFIX'] = `pyairtable-test:${runId}:`;

  // The tests create routers in this process, and @apollo/gateway reads its telemetry switch from the process
  // environment (router/src/config.ts, applyApolloTelemetrySetting): no test reports to Apollo.
  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';

  const migration = spawnSync('npm', ['run', '--silent', 'db:migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl.toString() },
    encoding: 'utf8',
  });
  if (migration.status !== 0) {
    throw new Error(`npm run db:migrate failed:\n${migration.stdout}\n${migration.stderr}`);
  }
}
