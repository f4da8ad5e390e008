import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type DemoDatabase = BetterSQLite3Database<typeof schema>;
export { schema };

/** The data folder, the owner's only (0700): it holds the admin's password hash and people's data. */
export function ownerOnlyFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
}

/** The SQLite file and its -wal and -shm companions, owner-readable only (0600). */
function ownerOnlyFiles(file: string): void {
  // Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the same mode.
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** The demo app's own SQLite file (it is a separate app: it shares nothing with autoprov). */
export function openDemoDatabase(file: string) {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnlyFiles(file);
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  if (file !== ':memory:') ownerOnlyFiles(file);
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle({ client: sqlite, schema });
  // Found through the package, not this file's place: dist/main.js sits elsewhere than src/db/.
  const packageJson = createRequire(import.meta.url).resolve('@autoprov/demo-app/package.json');
  migrate(db, { migrationsFolder: join(dirname(packageJson), 'drizzle') });
  return { db, close: () => sqlite.close() };
}
