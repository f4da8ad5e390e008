import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';

// Found through the package itself, not this file's place: the compiled server bundles this
// module into apps/server/dist/main.js, where '../drizzle' would name another folder.
const packageFolder = dirname(createRequire(import.meta.url).resolve('@autoprov/db/package.json'));
export const migrationsFolder = join(packageFolder, 'drizzle');
export const pgMigrationsFolder = join(packageFolder, 'drizzle-pg');

/**
 * A SQLite connection set up as autoprov runs it (WAL, foreign keys enforced) and migrated to
 * this build. Does not touch the process's tables (tables.ts): the move to PostgreSQL reads a
 * SQLite file this way from a process whose tables are PostgreSQL's.
 */
export function openSqliteConnection(
  file: string,
  afterOpen: (sqlite: Database.Database) => void = () => undefined,
  options: Database.Options = {},
): { sqlite: Database.Database; db: BetterSQLite3Database<typeof schema> & { $client: Database.Database } } {
  const sqlite = new Database(file, options);
  try {
    sqlite.pragma('journal_mode = WAL');
    afterOpen(sqlite);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder });
    return { sqlite, db };
  } catch (err) {
    sqlite.close();
    throw err;
  }
}
