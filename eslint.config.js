// One lint configuration for the whole repository; `npm test` runs it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'dist/', 'coverage/', '.downbeat/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'tools/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cli/*', '**/cli'], message: 'Nothing imports cli/ (DESIGN §3).' }] },
      ],
    },
  },
  {
    // Only the CLI and the app's wiring start the web server (DESIGN §3); the API's shapes are shared.
    files: ['src/**/*.ts', 'bench/**/*.ts', 'pipelines/**/*.ts'],
    ignores: ['src/server/**', 'src/app/**', 'src/cli/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/*', '**/cli'], message: 'Nothing imports cli/ (DESIGN §3).' },
            {
              regex: '(^|/)server/(?!api/types\\.ts$)',
              message: 'Only cli/ and app/ import server/ (DESIGN §3); use src/app/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The authoring API stays free of I/O (DESIGN §3).
    files: ['src/dag/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                '../storage*',
                '../warehouse*',
                '../store*',
                '../executor*',
                '../server*',
                '../cli*',
              ],
              message: 'dag/ does no I/O (DESIGN §3).',
            },
          ],
        },
      ],
    },
  },
  {
    // The lifecycle rules are pure: they import the authoring API, the errors and each other (DESIGN §3).
    files: ['src/lifecycle/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Anything but a sibling file, or the dag/ and errors/ folders' faces.
              regex: '^(?!\\./[\\w.-]+\\.ts$|\\.\\./(dag|errors)/index\\.ts$)',
              message: 'lifecycle/ does no I/O: it imports only dag/, errors/ and itself (DESIGN §3).',
            },
          ],
        },
      ],
    },
  },
  {
    // Operators talk to ports, never to a concrete adapter (DESIGN §3).
    files: ['src/operators/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../storage*', '../warehouse*', '../store*', '../cli*', '../server*'],
              message: 'Operators use ports only (DESIGN §3).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests make async streams from fixed data: an async generator without await is fine there.
    files: ['**/*.test.ts', '**/*-contract.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
