import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';

export * from './schema/index.js';
export { schema };

export type AppDatabase = BetterSQLite3Database<typeof schema>;
/** The argument of `db.transaction(fn)`: lets helpers run inside or outside a transaction. */
export type AppTransaction = Parameters<Parameters<AppDatabase['transaction']>[0]>[0];
export type DbOrTx = AppDatabase | AppTransaction;

export interface OpenDatabase {
  db: AppDatabase;
  sqlite: Database.Database;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * `:memory:` gives a private database, which is what tests use.
 */
export function openDatabase(file: string): OpenDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}
