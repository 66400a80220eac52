// @ts-check
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries (DESIGN §1): contracts import nothing; apps import only contracts; the
 * integrators' client imports nothing of Cloop's own code; browser tests drive the built app from
 * outside with contracts (types) and the typed client, as an integrator does. `appMayUse` widens
 * what an app's own files may import (its tests use the client's typed `route()`).
 */
function moduleBoundaries(appMayUse, ignoredCircularDependencies = []) {
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    ignoredCircularDependencies,
    depConstraints: [
      { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:client'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: appMayUse },
      // The console takes the API's paths from the generated client (`route()` and types; below).
      { sourceTag: 'type:console', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:client'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:client'] },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/data',
      '**/.nx',
      '**/coverage',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      // Hand-written types of a plain-JS module (bench/answer-quality/evaluation.cjs).
      '**/*.d.cts',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      eqeqeq: ['error', 'always'],
      // Module boundaries (DESIGN §1): contracts import nothing; apps import only contracts.
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(['scope:contracts'])],
    },
  },
  {
    // The API's tests send requests as an integrator does: paths from the typed client's `route()`,
    // checked against the OpenAPI document at compile time, instead of hand-written strings. (The
    // client is generated from the API's document, hence the api ⇄ client edge: the committed
    // schema.d.ts breaks it, and CI checks that file for drift.)
    files: ['api/test/**/*.ts', 'api/src/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries(['scope:contracts', 'scope:client'], [['api', 'client']]),
      ],
    },
  },
  {
    // The console calls through HttpClient and its auth interceptor: from the generated client it
    // takes the types of the API's paths (`core/http/api-path.ts`), never openapi-fetch itself.
    files: ['console/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cloop/client', message: 'Types only: import type { paths }.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // The client's examples are the README's code: they import the package by its name, as an
    // integrator's code does, not by a path inside the project.
    files: ['libs/client/examples/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Only repositories, entities and the database folder may touch TypeORM (STYLE.md).
    files: ['api/src/**/*.ts'],
    ignores: ['api/src/**/*.repository.ts', 'api/src/**/*.entity.ts', 'api/src/database/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typeorm',
              message: 'Only *.repository.ts, *.entity.ts and database/ may import TypeORM.',
            },
          ],
        },
      ],
    },
  },
  {
    // The widget ships contracts as types only: zero runtime cost on customers' pages.
    files: ['widget/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cloop/contracts',
              allowTypeImports: true,
              message: 'Import contracts with `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts'],
    rules: {
      // supertest bodies are `any` by design; tests narrow them with contract types.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Every test asserts something of its own (a test that cannot fail proves nothing): jest's
    // `expect`, a helper named `expect…` (expectCode, expectErrorShape), or supertest's `.expect(status)`.
    // Browser tests (*.e2e-spec.ts) are not covered yet: one console test only takes screenshots.
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    plugins: { jest },
    rules: {
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', '**.expect'] }],
    },
  },
  prettier,
);
