// @ts-check
// Console unit tests: jest-preset-angular (jsdom), zoneless like the app itself.
const { createCjsPreset } = require('jest-preset-angular/presets');

/** @type {import('jest').Config} */
module.exports = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'console',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@cloop/contracts$': '<rootDir>/../libs/contracts/src/index.ts',
    '^@cloop/client/route$': '<rootDir>/../libs/client/src/route.ts',
  },
};
