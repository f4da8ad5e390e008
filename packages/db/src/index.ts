import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsFolder, openSqliteConnection, pgMigrationsFolder } from './migrations.js';
import type * as schema from './schema/index.js';
import * as schemaPg from './schema-pg/index.js';
import { useTablesOf, type Dialect } from './tables.js';

// The tables from tables.ts, which follows the dialect; row types from the schema.
export * from './tables.js';
export type { ConfigurationRow, StoredAlertDelivery, SyncRunRow } from './schema/index.js';

/**
 * The database store code is written against: typed by the SQLite schema, whose PostgreSQL twin
 * has the same shape table for table (schema-pg, checked by its test). Always awaited, never
 * `.all()`/`.get()`/`.run()`, and transactions through `transaction()` (queries.ts).
 */
export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a `transaction()` body gets: the same handle, so helpers run inside or outside one. */
export type AppTransaction = AppDatabase;
export type DbOrTx = AppDatabase;
export { transaction, affectedRows, rowsOf, timeParam, isPostgres, contains, type Tx } from './queries.js';
export { acquireEngineLease, type EngineLease } from './engine-lease.js';

/** An open database of either dialect: what a process needs to use it, check it and let it go. */
export interface OpenDatabase {
  db: AppDatabase;
  dialect: Dialect;
  /** Readiness: the database answers a query (throws if not). */
  ping(): Promise<void>;
  /** Readiness: whether every migration this build ships has been applied. */
  migrationsApplied(): Promise<{ applied: boolean; shipped: number }>;
  close(): Promise<void>;
}

/** The embedded database, with its connection for what only SQLite has (pragmas, benchmarks). */
export interface OpenSqliteDatabase extends OpenDatabase {
  dialect: 'sqlite';
  sqlite: Database.Database;
}

export interface OpenPostgresDatabase extends OpenDatabase {
  dialect: 'postgres';
  pool: pg.Pool;
}

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
export function openDatabase(file: string): OpenSqliteDatabase {
  refuseMixedDialects('sqlite');
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnlyDatabaseFiles(file);
  }
  const { sqlite, db } = openSqliteConnection(file, () => {
    if (file !== ':memory:') ownerOnlyDatabaseFiles(file);
  });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    ping: () => {
      sqlite.prepare('select 1').get();
      return Promise.resolve();
    },
    migrationsApplied: () => {
      const row = sqlite.prepare('select max(created_at) as last from __drizzle_migrations').get() as { last: number | null } | undefined;
      return Promise.resolve(compareMigrations(migrationsFolder, row?.last));
    },
    close: () => {
      sqlite.close();
      return Promise.resolve();
    },
  };
}

/** Whether a PostgreSQL address was given rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** An address fit for logs: the password, if any, left out. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** A PostgreSQL address or a SQLite file, opened and migrated. */
export async function openDatabaseAt(location: string): Promise<OpenDatabase> {
  return isPostgresUrl(location) ? await openPostgres(location) : openDatabase(location);
}

// Any number: every autoprov process migrating the same database takes this lock first.
const migrationLock = 7_224_516;

/**
 * Opens a pool on PostgreSQL (issue 16) and brings its schema up to date. Several processes may
 * start at once: the migrations run under an advisory lock, so one applies them and the others
 * find them applied. The process's tables become the PostgreSQL ones.
 */
export async function openPostgres(url: string, options: { poolSize?: number; idleMs?: number } = {}): Promise<OpenPostgresDatabase> {
  refuseMixedDialects('postgres');
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, idleTimeoutMillis: options.idleMs ?? 30_000 });
  // An idle connection the server drops (a restart) must not take the process down with it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [migrationLock]);
      try {
        await migratePg(drizzlePg({ client }), { migrationsFolder: pgMigrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [migrationLock]);
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  useTablesOf('postgres');
  const pgDb = drizzlePg({ client: pool, schema: schemaPg });
  return {
    // Typed as the SQLite handle store code is written against; the shapes match (schema-pg).
    db: pgDb as unknown as AppDatabase,
    dialect: 'postgres',
    pool,
    ping: async () => {
      await pool.query('select 1');
    },
    migrationsApplied: async () => {
      const { rows } = await pool.query<{ last: string | null }>('select max(created_at) as last from drizzle.__drizzle_migrations');
      return compareMigrations(pgMigrationsFolder, rows[0]?.last);
    },
    close: () => pool.end(),
  };
}

/** One process speaks one dialect: its tables (tables.ts) are those of the first database it opened. */
let openedDialect: Dialect | null = null;
function refuseMixedDialects(dialect: Dialect): void {
  if (openedDialect !== null && openedDialect !== dialect) {
    throw new Error(`This process already uses ${openedDialect}; it cannot also open a ${dialect} database.`);
  }
  openedDialect = dialect;
}

/**
 * The migrator applies the migrations newer than the last one recorded, so the last one
 * recorded says whether this build's newest has been applied.
 */
function compareMigrations(folder: string, last: number | string | null | undefined): { applied: boolean; shipped: number } {
  const shipped = readMigrationFiles({ migrationsFolder: folder });
  const newest = Math.max(0, ...shipped.map((m) => m.folderMillis));
  return { applied: Number(last ?? 0) >= newest, shipped: shipped.length };
}
