import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, openPostgres, type OpenDatabase } from '../index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server of the `postgres` test project (postgres.global-setup.ts). */
    postgresUrl: string;
  }
}

/**
 * The database a store or engine test runs on: a private SQLite in memory, or, in the
 * `postgres` test project (AUTOPROV_TEST_DIALECT=postgres), a fresh database of its own on the
 * PostgreSQL server the project started (postgres.global-setup.ts), dropped when closed. One
 * suite of tests thus proves every store function on both databases (issue 16).
 */
export async function openTestDatabase(): Promise<OpenDatabase & { location: string }> {
  if (process.env.AUTOPROV_TEST_DIALECT !== 'postgres') return { ...openDatabase(':memory:'), location: ':memory:' };
  const { inject } = await import('vitest');
  const serverUrl = inject('postgresUrl');
  const url = await createEmptyDatabase(serverUrl);
  // Small pools: a test file may hold several databases at once on one server.
  const opened = await openPostgres(url, { poolSize: 4, idleMs: 1_000 });
  return {
    ...opened,
    /** For another process to open the same database. */
    location: url,
    close: async () => {
      await opened.close();
      await dropDatabase(serverUrl, url);
    },
  };
}

/** A new, empty database on the PostgreSQL server at `serverUrl`; returns its address. */
export async function createEmptyDatabase(serverUrl: string, prefix = 'autoprov_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the database at `url`, its connections cut, through the server at `serverUrl`. */
export async function dropDatabase(serverUrl: string, url: string): Promise<void> {
  await adminQuery(serverUrl, `drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
