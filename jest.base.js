/**
 * What both jest tiers share: TypeScript through @swc/jest as ESM, and workspace packages resolved to their
 * sources. jest.config.js (integration) and jest.unit.config.js (unit) add what their tier needs.
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
};
