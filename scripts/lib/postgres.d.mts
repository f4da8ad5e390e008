// Types of postgres.mjs, for the TypeScript tests that start a PostgreSQL server.

export interface StartPostgresOptions {
  /** Folder holding initdb and pg_ctl; by default the newest /usr/lib/postgresql/N/bin. */
  binDir?: string;
  /** Port on 127.0.0.1; by default a free one. */
  port?: number;
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, or AUTOPROV_TEST_DATABASE_URL as given. */
  url: string;
  port: number;
  /** The server's data directory; null for an outside server (AUTOPROV_TEST_DATABASE_URL). */
  dataDir: string | null;
  /** Fast shutdown, then a start on the same port: for tests of a database that goes away. */
  restart(): Promise<void>;
  /** Stops the server and removes its data directory (a no-op for an outside server). */
  stop(): Promise<void>;
}

/**
 * Starts a fresh PostgreSQL server on 127.0.0.1 (trust authentication, superuser `postgres`,
 * UTF8, locale C, fsync off, 200 connections), run as the `postgres` user when the caller is
 * root; or, when AUTOPROV_TEST_DATABASE_URL is set, starts nothing and returns that server,
 * whose restart() throws.
 */
export function startPostgres(options?: StartPostgresOptions): Promise<PostgresServer>;

/** The folder of the newest installed PostgreSQL server binaries; throws what to install. */
export function findBinDir(): string;
