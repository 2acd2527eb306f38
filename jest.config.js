/**
 * One jest run for the whole graph: integration tests start real servers (router and subgraphs) on real
 * Postgres and Redis. The global setup creates a fresh database for the run and migrates it with
 * `npm run db:migrate`; the teardown drops it and removes the run's Redis keys.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // Workspace packages resolve to their TypeScript sources through the "development" export condition, as
  // under `npm start`: no per-package mapping to keep in step with the tree.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'development'] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 60_000,
};
