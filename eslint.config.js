import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const consoleFeatures = readdirSync(new URL('./apps/console/src/features', import.meta.url));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/data/**',
      'test-results/**',
      'playwright-report/**',
      'packages/db/drizzle/**',
      'packages/db/drizzle-pg/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Import boundaries (issue 13): no cycles anywhere, resolved the way TypeScript resolves them.
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      // Parse the imported files too (no-cycle follows imports through .ts/.tsx files).
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['apps/*/tsconfig.json', 'packages/*/tsconfig.json', 'e2e/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Packages are the apps' building blocks: only their tests may start an app.
    files: ['packages/**/*.{ts,tsx,js,mjs}'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: './packages', from: './apps', message: 'Packages never import apps (only their tests may).' }] },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@autoprov/server*', '@autoprov/demo-app*', '@autoprov/console*'], message: 'Packages never import apps (only their tests may).' }] },
      ],
    },
  },
  {
    // A console feature owns its pages; what two features share lives in components/ or lib/.
    files: ['apps/console/src/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: consoleFeatures.map((feature) => ({
            target: `./apps/console/src/features/${feature}`,
            from: './apps/console/src/features',
            except: [`./${feature}`],
            message: 'Console features do not import each other: move the shared piece to components/ or lib/.',
          })),
        },
      ],
    },
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The server is not the console's business: only the shared contract crosses over.
      'no-restricted-imports': [
        'error',
        { patterns: ['@autoprov/db', '@autoprov/directory', '@autoprov/server', 'drizzle-orm*'] },
      ],
    },
  },
  {
    // Store calls are awaited on SQLite and PostgreSQL alike (issue 16): a promise nobody awaits
    // is a write that may land after the answer, or an error nobody sees.
    files: ['apps/server/src/**/*.ts', 'packages/{db,directory,engine}/{src,bench}/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['scripts/**', 'e2e/**', '**/bench/**'],
    rules: { 'no-console': 'off' },
  },
);
