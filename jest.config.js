import base from './jest.base.js';

/**
 * The integration tier: tests start real servers (router and subgraphs) on real Postgres and Redis. The global
 * setup creates a fresh database for the run and migrates it with `npm run db:migrate`; the teardown drops it
 * and removes the run's Redis keys. The unit tier (tests/unit, jest.unit.config.js) runs on its own, first.
 */
export default {
  ...base,
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/unit/'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 120_000,
  // One file at a time (files share the run's database and event stream), in a worker that is replaced once its heap
  // passes the limit: each file loads the whole stack into a context of its own, and one process running them all
  // grew past 2 GB and spent a quarter more CPU (5.0 against 6.75 CPU minutes for a run).
  maxWorkers: 1,
  workerIdleMemoryLimit: '500MB',
};
