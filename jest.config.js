/**
 * One jest run covers two projects: `unit` (tests beside the code in shared/, server/src/ and
 * client-sim/src/, no database) and `integration` (test/), which boot the real server against a real
 * PostgreSQL that test/setup/global-setup.ts starts for this run. `npm run test:unit` selects the first.
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

/** Settings both projects share. */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  errorOnDeprecated: true,
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{shared,server,client-sim}/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Only the integration project needs the database, so `npm run test:unit` starts none.
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
  maxWorkers: 2,
  testTimeout: 60_000,
  // Skipped, todo or focused tests would make a green run lie: this reporter fails the run on them.
  reporters: ['default', '<rootDir>/test/setup/no-skipped-tests-reporter.js'],
  verbose: false,
};
