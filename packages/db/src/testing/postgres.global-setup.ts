// One PostgreSQL server for a whole vitest run (globalSetup): the tests read its address with
// `inject('postgresUrl')`. AUTOPROV_TEST_DATABASE_URL names an outside server instead.
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../../../scripts/lib/postgres.mjs';

// The `postgresUrl` it provides is declared with its reader.
import type {} from './test-database.js';

export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const server = await startPostgres();
  provide('postgresUrl', server.url);
  return () => server.stop();
}
