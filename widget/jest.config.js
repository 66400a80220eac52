// @ts-check
// Unit tests of the widget's headless core and DOM, in jsdom; no network, no server.

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'widget',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: { '^@cloop/contracts$': '<rootDir>/../libs/contracts/src/index.ts' },
};
