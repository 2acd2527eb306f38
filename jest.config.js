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
};
