import { AsyncLocalStorage } from 'node:async_hooks';
import { is, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PgDatabase } from 'drizzle-orm/pg-core';
import type { AppDatabase, DbOrTx } from './index.js';

/**
 * Store code is written once and awaited everywhere, so that it runs on the embedded SQLite
 * (better-sqlite3, synchronous underneath) and on PostgreSQL (issue 16) alike. These are the
 * few places where the two drivers differ in shape.
 */

/** The database handle a transaction body gets: it reads and writes like the database itself. */
export type Tx = AppDatabase;

interface SqliteTransactions {
  /** The transaction under way on this connection, if any: the tail the next one waits for. */
  tail: Promise<unknown>;
}

const sqliteTransactions = new WeakMap<object, SqliteTransactions>();
const insideSqliteTransaction = new AsyncLocalStorage<object>();

/** The handle PostgreSQL transactions come from (drizzle's node-postgres database or one of its transactions). */
interface AsyncTransactional {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Whether a handle (database or transaction) is PostgreSQL's; store code is typed as SQLite's. */
export function isPostgres(db: DbOrTx): boolean {
  return is(db as unknown, PgDatabase);
}

/**
 * Runs `fn` in one transaction: everything it writes lands together or not at all.
 *
 * On SQLite there is one connection per process, so transactions take turns (a second waits
 * for the first instead of failing with "cannot start a transaction within a transaction"), and
 * a transaction begun inside another joins it. `fn` must only touch the database between its
 * awaits: a statement another task sends on the same connection while it waits lands in it.
 * On PostgreSQL each transaction has a connection of its own from the pool; one begun inside
 * another becomes a savepoint.
 */
export async function transaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return (db as unknown as AsyncTransactional).transaction(fn);
  const handle = db as AppDatabase;
  const key = handle.$client as object;
  if (insideSqliteTransaction.getStore() === key) return savepoint(handle, fn);
  let state = sqliteTransactions.get(key);
  if (!state) sqliteTransactions.set(key, (state = { tail: Promise.resolve() }));
  const previous = state.tail;
  let release!: () => void;
  state.tail = new Promise<void>((resolve) => (release = resolve));
  try {
    await previous.catch(() => undefined);
    return await insideSqliteTransaction.run(key, async () => {
      handle.$client.exec('begin immediate');
      try {
        const result = await fn(handle);
        handle.$client.exec('commit');
        return result;
      } catch (err) {
        if (handle.$client.inTransaction) handle.$client.exec('rollback');
        throw err;
      }
    });
  } finally {
    release();
  }
}

let savepoints = 0;

/** A transaction begun inside another: undone alone if it fails, as better-sqlite3's nested transactions were. */
async function savepoint<T>(handle: AppDatabase, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const name = `autoprov_${++savepoints}`;
  handle.$client.exec(`savepoint ${name}`);
  try {
    const result = await fn(handle);
    handle.$client.exec(`release ${name}`);
    return result;
  } catch (err) {
    handle.$client.exec(`rollback to ${name}; release ${name}`);
    throw err;
  }
}

/** How many rows an insert, update or delete touched, from either driver's answer. */
export function affectedRows(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return Number(r.changes ?? r.rowCount ?? 0);
}

/**
 * The rows of a hand-written query (a recursive CTE, say), from either driver. Parameters whose
 * type PostgreSQL cannot infer need a cast (`cast(${x} as text)`), which SQLite accepts too.
 */
export async function rowsOf<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  if (isPostgres(db)) return ((await (db as unknown as PgDatabase<never>).execute(query)) as unknown as { rows: T[] }).rows;
  return db.all<T>(query);
}

/**
 * A time bound into a hand-written query, compared with a time column: SQLite stores times as
 * milliseconds, PostgreSQL as timestamptz.
 */
export function timeParam(db: DbOrTx, at: Date): number | Date {
  return isPostgres(db) ? at : at.getTime();
}

/**
 * `column LIKE %term%`, case-insensitive on both databases (PostgreSQL's LIKE is not), with the
 * term's own `%`, `_` and `\` taken literally.
 */
export function contains(column: SQLWrapper, term: string): SQL {
  const escaped = term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`lower(${column}) like ${`%${escaped}%`} escape '\\'`;
}
