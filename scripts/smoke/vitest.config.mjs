import { defineConfig } from 'vitest/config';

// The start command's smoke test: run alone by the test command, after the unit tests.
export default defineConfig({
  test: { include: ['scripts/smoke/*.smoke.test.mjs'], environment: 'node', testTimeout: 600_000, hookTimeout: 60_000 },
});
