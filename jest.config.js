/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // One summary at the end of what was skipped for want of a tool, and how to install it (test/support/skip-summary.ts).
  globalSetup: '<rootDir>/test/support/skip-summary-setup.ts',
  globalTeardown: '<rootDir>/test/support/skip-summary-teardown.ts',
};
