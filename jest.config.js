/**
 * Jest runs the TypeScript sources through SWC as ES modules (see STACK.md: decorator metadata
 * must be emitted, or type-graphql and MikroORM cannot read property types).
 * One embedded PostgreSQL serves the whole run (tests/support/global-setup.mjs); every test
 * file gets its own database, cloned from a template built by the real migrations.
 */
const swcConfig = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/tests/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/support/global-teardown.mjs',
  // Files that seed the demo cluster spend ~10 s in beforeAll, more when the 2 cores are busy.
  testTimeout: 90000,
  maxWorkers: 2,
};
