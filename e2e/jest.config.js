// @ts-check
// Browser tests: the built app (`npm run build`) started as a process, pages in Debian's Chromium.

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^@cloop/contracts$': '<rootDir>/../libs/contracts/src/index.ts',
    '^@cloop/client$': '<rootDir>/../libs/client/src/index.ts',
    '^@cloop/client/route$': '<rootDir>/../libs/client/src/route.ts',
    '^@cloop/client/examples/(.*)$': '<rootDir>/../libs/client/examples/$1',
  },
  // The app's first start (embedded PostgreSQL initdb) takes seconds; browsers add more.
  testTimeout: 60_000,
};
