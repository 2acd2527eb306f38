import globalSetup from '../../tests/support/global-setup.js';
import globalTeardown from '../../tests/support/global-teardown.js';

/**
 * Runs a benchmark against the same kind of graph the tests use: a fresh database on TEST_DATABASE_URL's
 * server (migrated with npm run db:migrate) and a Redis key prefix of its own, removed afterwards.
 */
export async function withTestDatabase(benchmark: () => Promise<void>): Promise<void> {
  await globalSetup();
  try {
    await benchmark();
  } finally {
    await globalTeardown();
  }
}
