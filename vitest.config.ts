import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['apps/server/**/*.test.ts', 'apps/demo-app/**/*.test.ts', 'packages/**/*.test.ts', 'scripts/lint/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        // Issue 16: the stores and the engine again, each test on a database of its own on a
        // real PostgreSQL server (packages/db/src/testing), so every store function is proven on both.
        test: {
          name: 'postgres',
          include: ['packages/directory/**/*.test.ts', 'packages/engine/**/*.test.ts'],
          // The crash tests kill a process holding a SQLite file; their PostgreSQL twins are the
          // multi-process fault tests.
          exclude: ['**/node_modules/**', 'packages/engine/src/engine.crash.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env: { AUTOPROV_TEST_DIALECT: 'postgres' },
          globalSetup: ['packages/db/src/testing/postgres.global-setup.ts'],
        },
      },
      'apps/console',
    ],
  },
});
