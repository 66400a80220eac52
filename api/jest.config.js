// @ts-check
// Unit tests sit beside the code (*.spec.ts); integration tests boot the real app (test/**/*.int-spec.ts).

/** @type {import('jest').Config['transform']} */
const transform = {
  // Type-checking happens in the `typecheck` target; here ts-jest only transpiles, which keeps runs fast.
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
};
const moduleNameMapper = {
  '^@cloop/contracts$': '<rootDir>/../libs/contracts/src/index.ts',
  // Request paths in tests: the typed client's `route()`, checked against the OpenAPI document.
  '^@cloop/client/route$': '<rootDir>/../libs/client/src/route.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      // The migrated database every test app copies, built once before the files start.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      transform,
      moduleNameMapper,
    },
  ],
  // Each integration file boots the real app on its own database; PGlite's first start takes seconds.
  // (Jest reads testTimeout only at the top level, not per project.)
  testTimeout: 60_000,
  // Jest's default on a 2-core machine is one worker: the suite ran file after file while much of
  // its time is spent waiting (timers, sockets, child processes). Two workers use both cores.
  // The PostgreSQL pass (`test-int`) stays at one: its files share one Redis, whose rate-limit
  // counters are per client address, so files running side by side would count each other's requests.
  maxWorkers: 2,
};
