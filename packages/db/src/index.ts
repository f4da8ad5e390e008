import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as schema from './schema/index.js';

export * from './schema/index.js';
export { schema };

/**
 * The database store code is written against: typed by the SQLite schema, whose PostgreSQL twin
 * has the same shape table for table (schema-pg, checked by its test). Always awaited, never
 * `.all()`/`.get()`/`.run()`, and transactions through `transaction()` (queries.ts).
 */
export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a `transaction()` body gets: the same handle, so helpers run inside or outside one. */
export type AppTransaction = AppDatabase;
export type DbOrTx = AppDatabase;
export { transaction, affectedRows, type Tx } from './queries.js';

export interface OpenDatabase {
  db: AppDatabase;
  sqlite: Database.Database;
  close(): void;
}

// Found through the package itself, not this file's place: the compiled server bundles this
// module into apps/server/dist/main.js, where '../drizzle' would name another folder.
const migrationsFolder = join(dirname(createRequire(import.meta.url).resolve('@autoprov/db/package.json')), 'drizzle');

/**
 * S-6: a folder only its owner can enter (0700), made if missing and tightened if it exists:
 * what autoprov keeps there (password hashes, personal data, sealed secrets) is no one else's.
 */
export function ownerOnlyFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
}

/** The SQLite file and its -wal and -shm companions, owner-readable only (0600). */
export function ownerOnlyDatabaseFiles(file: string): void {
  // Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the same mode.
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * `:memory:` gives a private database, which is what tests use.
 */
export function openDatabase(file: string): OpenDatabase {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnlyDatabaseFiles(file);
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  if (file !== ':memory:') ownerOnlyDatabaseFiles(file);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * Readiness: whether every migration this build ships has been applied to the database (the
 * migrator applies those newer than the last one recorded, so the last one recorded says it).
 */
export function migrationsApplied(sqlite: Database.Database): { applied: boolean; shipped: number } {
  const shipped = readMigrationFiles({ migrationsFolder });
  const newest = Math.max(0, ...shipped.map((m) => m.folderMillis));
  const row = sqlite.prepare('select max(created_at) as last from __drizzle_migrations').get() as { last: number | null } | undefined;
  return { applied: Number(row?.last ?? 0) >= newest, shipped: shipped.length };
}
