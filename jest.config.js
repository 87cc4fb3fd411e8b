/**
 * One jest run covers unit tests (beside the code) and integration tests (test/integration), which
 * boot the real server against a real PostgreSQL that test/setup/global-setup.ts starts for this run.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: false, useDefineForClassFields: false },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/{shared,server,client-sim,test}/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
  // Skipped or focused tests would make a green run lie; fail the run instead.
  errorOnDeprecated: true,
  verbose: false,
};
