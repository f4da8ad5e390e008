import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['apps/server/**/*.test.ts', 'apps/demo-app/**/*.test.ts', 'packages/**/*.test.ts', 'scripts/lint/**/*.test.ts'],
          // Only PostgreSQL has what these prove (several processes on one database).
          exclude: ['**/node_modules/**', '**/*.pg.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        // Issue 16: the stores, the engine and the server's API again, each test on a database of
        // its own on a real PostgreSQL server (packages/db/src/testing): every store function is
        // proven on both databases.
        test: {
          name: 'postgres',
          include: ['packages/directory/**/*.test.ts', 'packages/engine/**/*.test.ts', 'apps/server/**/*.test.ts'],
          // These hold a SQLite file on purpose: a process killed or restarted on it, its file
          // modes, a database closed under a probe.
          exclude: [
            '**/node_modules/**',
            'packages/engine/src/engine.crash.test.ts',
            'apps/server/src/main.test.ts',
            'apps/server/src/operations/operations.test.ts',
            'apps/server/src/routes/password-reset.test.ts',
          ],
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
