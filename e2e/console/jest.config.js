// @ts-check
// Console browser tests: real Chromium (Debian's /usr/bin/chromium via playwright-core) against the
// built app, which each test file starts itself (`node dist/api/api/src/main.js`).

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e-console',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^@cloop/contracts$': '<rootDir>/../../libs/contracts/src/index.ts',
    '^@cloop/client/route$': '<rootDir>/../../libs/client/src/route.ts',
  },
  // The app boots PGlite (seconds; much longer on a busy machine) and Chromium per file.
  testTimeout: 180_000,
  maxWorkers: 1,
};
