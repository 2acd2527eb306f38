import base from './jest.base.js';

/**
 * The unit tier: the pure rules (policies, cursors, event format, templates, test helpers), with no database,
 * no Redis and no server, so no global setup. `npm run test:unit`; `npm test` runs it before the integration tier.
 */
export default {
  ...base,
  // A subgraph's own pure rules are tested beside them (src/__tests__), the shared ones under tests/unit.
  testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/subgraphs/*/src/__tests__/**/*.test.ts'],
  testTimeout: 5_000,
};
