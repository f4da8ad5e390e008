import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { type Column, getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openPostgres, withoutPassword } from './index.js';
import { openSqliteConnection } from './migrations.js';
import * as sqliteSchema from './schema/index.js';
import * as pgSchema from './schema-pg/index.js';

/**
 * Issue 16: moving an existing install. Copies every table of a SQLite install into an empty
 * PostgreSQL database in one transaction (all or nothing), then compares the counts.
 *
 * Rows are read through drizzle with the SQLite schema (so they come decoded: Dates, JSON
 * objects, booleans) and written with the PostgreSQL twins, which have the same row shapes.
 * Text columns go across as they are: sealed secrets stay sealed with the same key.
 *
 * The process's tables (tables.ts) become PostgreSQL's, as with any openPostgres: run it from a
 * process of its own (the move-to-postgres command).
 */
export async function moveToPostgres(options: {
  sqliteFile: string;
  postgresUrl: string;
  onTable?: (t: { table: string; rows: number }) => void;
}): Promise<{ tables: { table: string; sqlite: number; postgres: number }[] }> {
  const { sqliteFile, postgresUrl } = options;
  const tables = orderedTables();
  const source = openSource(sqliteFile);
  try {
    refuseDanglingReferences(source.sqlite, sqliteFile);
    const target = await openPostgres(postgresUrl, { poolSize: 2 });
    try {
      const pgDb = drizzlePg({ client: target.pool });
      // One read transaction: every page comes from the same snapshot, and the counts compared
      // at the end are those of the rows copied, whatever else touches the file.
      source.sqlite.exec('begin');
      try {
        return await pgDb.transaction(async (tx) => {
          await lockAndRefuseNonEmpty(tx, tables, postgresUrl);
          const copied = new Map<string, number>();
          for (const t of tables) {
            const rows = await copyTable(source, tx, t).catch((err: unknown) => {
              throw err instanceof MoveRefused ? err : new Error(`Copying table ${t.name} failed: ${driverMessage(err)}. Nothing was copied.`, { cause: err });
            });
            copied.set(t.name, rows);
            options.onTable?.({ table: t.name, rows });
          }
          await resetIdentities(tx, tables);
          const counts: { table: string; sqlite: number; postgres: number }[] = [];
          for (const t of tables) {
            const inSqlite = (source.sqlite.prepare(`select count(*) as n from ${quote(t.name)}`).get() as { n: number }).n;
            const inPostgres = Number((await tx.execute<{ n: string }>(sql`select count(*) as n from ${sql.identifier(t.name)}`)).rows[0]?.n);
            counts.push({ table: t.name, sqlite: inSqlite, postgres: inPostgres });
          }
          const differing = counts.filter((c) => c.sqlite !== c.postgres || c.sqlite !== copied.get(c.table));
          if (differing.length > 0) {
            // Thrown inside the transaction: nothing of the copy is kept.
            throw new Error(
              `The counts differ after the copy, so nothing was kept: ${differing.map((c) => `${c.table} (SQLite ${c.sqlite}, PostgreSQL ${c.postgres})`).join(', ')}.`,
            );
          }
          return { tables: counts };
        });
      } finally {
        source.sqlite.exec('rollback');
      }
    } finally {
      await target.close();
    }
  } finally {
    source.sqlite.close();
  }
}

interface TablePair {
  /** The table's SQL name, the same on both sides. */
  name: string;
  sqlite: SQLiteTable;
  pg: PgTable;
  /** Property name → column, the keys rows carry (the same on both sides). */
  columns: Record<string, Column>;
  /** The PostgreSQL identity column's SQL name, if the table has one. */
  identity: string | null;
  /** Foreign keys from the table to itself, as property names (org units' parent). */
  selfReferences: { columns: string[]; parentColumns: string[] }[];
  /** Primary key property names, to name a row in an error. */
  key: string[];
}

type Row = Record<string, unknown>;

// PostgreSQL's limit on the parameters of one statement; each copied value is one.
const maxParameters = 65_535;
// Also a bound on what a page holds in memory (report lines and exchanges carry bodies).
const maxRowsPerChunk = 1_000;

/** Every table of the SQLite schema with its PostgreSQL twin, parents before children. */
function orderedTables(): TablePair[] {
  const pgByName = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema)) if (is(value, PgTable)) pgByName.set(getTableName(value), value);
  const pairs: TablePair[] = [];
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const name = getTableName(value);
    const pg = pgByName.get(name);
    if (!pg) throw new Error(`Table ${name} has no PostgreSQL twin in schema-pg.`);
    pgByName.delete(name);
    const columns = getTableColumns(value) as Record<string, Column>;
    const pgColumns = getTableColumns(pg) as Record<string, Column>;
    if (Object.keys(columns).sort().join() !== Object.keys(pgColumns).sort().join()) {
      throw new Error(`Table ${name} does not have the same columns in both schemas.`);
    }
    const propertyOf = new Map(Object.entries(pgColumns).map(([key, column]) => [column.name, key]));
    const property = (column: Column) => propertyOf.get(column.name) ?? column.name;
    const config = pgTableConfig(pg);
    const selfReferences = config.foreignKeys
      .map((fk) => fk.reference())
      .filter((ref) => getTableName(ref.foreignTable) === name)
      .map((ref) => ({ columns: ref.columns.map(property), parentColumns: ref.foreignColumns.map(property) }));
    const key = config.primaryKeys[0]?.columns.map(property) ?? Object.entries(pgColumns).filter(([, c]) => c.primary).map(([k]) => k);
    const identity = Object.values(pgColumns).find((c) => c.generatedIdentity !== undefined)?.name ?? null;
    pairs.push({ name, sqlite: value, pg, columns, identity, selfReferences, key });
  }
  if (pgByName.size > 0) throw new Error(`schema-pg has tables SQLite does not: ${[...pgByName.keys()].join(', ')}.`);

  // Kahn's algorithm over the foreign keys PostgreSQL enforces (none is deferrable), ties kept
  // in the schema's order so the copy is the same every time.
  const parents = new Map(
    pairs.map((p) => [
      p.name,
      new Set(
        pgTableConfig(p.pg)
          .foreignKeys.map((fk) => getTableName(fk.reference().foreignTable))
          .filter((parent) => parent !== p.name),
      ),
    ]),
  );
  const ordered: TablePair[] = [];
  const placed = new Set<string>();
  while (ordered.length < pairs.length) {
    const next = pairs.find((p) => !placed.has(p.name) && [...(parents.get(p.name) ?? [])].every((parent) => placed.has(parent)));
    if (!next) throw new Error(`The foreign keys between ${pairs.filter((p) => !placed.has(p.name)).map((p) => p.name).join(', ')} form a cycle.`);
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

interface Source {
  sqlite: Database.Database;
  db: ReturnType<typeof openSqliteConnection>['db'];
}

/** The install's SQLite file, migrated to this build; never created. */
function openSource(file: string): Source {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new Error(`No SQLite database at ${file}: set AUTOPROV_DATA_DIR to the folder that holds autoprov.sqlite.`);
  }
  // Looked at before migrating: the migrations would otherwise build autoprov's tables into any file.
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const known = probe.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
    if (!known) throw new Error(`${file} is not an autoprov database (it has no migration record).`);
  } finally {
    probe.close();
  }
  return openSqliteConnection(file, undefined, { fileMustExist: true });
}

/**
 * PostgreSQL refuses a row whose foreign key points nowhere; SQLite may hold such rows if its
 * checks were ever off. Said before anything is copied, with the tables to repair.
 */
function refuseDanglingReferences(sqlite: Database.Database, file: string): void {
  const problems = sqlite.prepare('pragma foreign_key_check').all() as { table: string; parent: string }[];
  if (problems.length === 0) return;
  const byTable = new Map<string, number>();
  for (const p of problems) byTable.set(`${p.table} → ${p.parent}`, (byTable.get(`${p.table} → ${p.parent}`) ?? 0) + 1);
  throw new Error(
    `${file} has rows whose foreign keys point to missing rows, which PostgreSQL would refuse: ${[...byTable].map(([t, n]) => `${t} (${n})`).join(', ')}. Nothing was copied.`,
  );
}

type PgTx = Parameters<Parameters<NodePgDatabase['transaction']>[0]>[0];

/**
 * Only into an empty database. The tables are locked first (reads still allowed): an autoprov
 * process started on this database too early waits instead of seeding its own rows alongside.
 */
async function lockAndRefuseNonEmpty(tx: PgTx, tables: TablePair[], url: string): Promise<void> {
  await tx.execute(sql`lock table ${sql.join(tables.map((t) => sql.identifier(t.name)), sql`, `)} in exclusive mode`);
  for (const t of tables) {
    const { rows } = await tx.execute<{ has: boolean }>(sql`select exists (select 1 from ${sql.identifier(t.name)}) as has`);
    if (rows[0]?.has) {
      throw new Error(
        `The PostgreSQL database ${withoutPassword(url)} is not empty: table ${t.name} has rows. The move copies into an empty database only; nothing was copied.`,
      );
    }
  }
}

/** Copies one table page by page (by rowid, from the read snapshot); returns the rows copied. */
async function copyTable(source: Source, tx: PgTx, t: TablePair): Promise<number> {
  const chunk = Math.max(1, Math.min(maxRowsPerChunk, Math.floor(maxParameters / Object.keys(t.columns).length)));
  const insert = async (rows: Row[]) => {
    for (const row of rows) refuseNul(t, row);
    await tx.insert(t.pg).values(rows);
  };

  if (t.selfReferences.length > 0) {
    // Foreign keys are checked at the end of each statement, and PostgreSQL's are not
    // deferrable: a row's parent must be in the same chunk or an earlier one. Such tables (org
    // units) are small, so they are read whole and put in parent-first order.
    const rows = parentsFirst(t, source.db.select().from(t.sqlite).all() as Row[]);
    for (let i = 0; i < rows.length; i += chunk) await insert(rows.slice(i, i + chunk));
    return rows.length;
  }

  let copied = 0;
  let after: number | null = null;
  for (;;) {
    const page = source.db
      .select({ ...t.columns, [rowidKey]: sql<number>`rowid` })
      .from(t.sqlite)
      .where(after === null ? undefined : sql`rowid > ${after}`)
      .orderBy(sql`rowid`)
      .limit(chunk)
      .all() as Row[];
    if (page.length === 0) return copied;
    after = page[page.length - 1]?.[rowidKey] as number;
    await insert(page.map(({ [rowidKey]: _rowid, ...row }) => row));
    copied += page.length;
  }
}

const rowidKey = '__autoprov_rowid';

/** Rows ordered so that each comes after the row it refers to in its own table. */
function parentsFirst(t: TablePair, rows: Row[]): Row[] {
  const keyOf = (row: Row, columns: string[]) => JSON.stringify(columns.map((c) => row[c]));
  const present = t.selfReferences.map((ref) => new Set(rows.map((r) => keyOf(r, ref.parentColumns))));
  const placed = t.selfReferences.map(() => new Set<string>());
  const ordered: Row[] = [];
  let waiting = rows;
  while (waiting.length > 0) {
    const ready: Row[] = [];
    const still: Row[] = [];
    for (const row of waiting) {
      const parentsIn = t.selfReferences.every((ref, i) => {
        const parent = keyOf(row, ref.columns);
        const none = ref.columns.some((c) => row[c] == null);
        // A missing parent is left to PostgreSQL's check (foreign_key_check has vouched for none).
        return none || parent === keyOf(row, ref.parentColumns) || placed[i]?.has(parent) || !present[i]?.has(parent);
      });
      (parentsIn ? ready : still).push(row);
    }
    // A cycle (a's parent b, b's parent a) cannot be ordered: left together at the end.
    if (ready.length === 0) return [...ordered, ...still];
    for (const row of ready) {
      ordered.push(row);
      t.selfReferences.forEach((ref, i) => placed[i]?.add(keyOf(row, ref.parentColumns)));
    }
    waiting = still;
  }
  return ordered;
}

/**
 * PostgreSQL text (and jsonb) cannot hold the NUL character that SQLite text can. Named here,
 * table, column and row, rather than left to the driver's bare "invalid byte sequence": the
 * value is the install's data, so it is not changed silently; it is fixed in SQLite and the
 * move run again.
 */
function refuseNul(t: TablePair, row: Row): void {
  for (const [property, column] of Object.entries(t.columns)) {
    if (holdsNul(row[property])) {
      const key = t.key.map((k) => `${t.columns[k]?.name ?? k}=${String(row[k])}`).join(', ');
      throw new MoveRefused(
        `Table ${t.name}, column ${column.name} (row ${key}) holds a NUL character (\\u0000), which PostgreSQL text cannot store. Remove it in the SQLite file and run the move again; nothing was copied.`,
      );
    }
  }
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
}

/** A refusal worded for the admin, passed on as it is. */
class MoveRefused extends Error {}

/**
 * The database's own words: drizzle's error message is the whole statement with every value
 * bound to it (sealed secrets, personal data, a thousand rows), not for a terminal or a log.
 */
function driverMessage(err: unknown): string {
  let deepest: unknown = err;
  while (deepest instanceof Error && deepest.cause !== undefined) deepest = deepest.cause;
  if (!(deepest instanceof Error)) return String(deepest);
  const detail = (deepest as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail ? `${deepest.message} (${detail})` : deepest.message;
}

/**
 * Explicit ids do not move an identity's sequence: the next one generated must follow the copied
 * ids. (setval is not undone by a rollback; a failed move leaves empty tables whose sequences
 * merely start further on.)
 */
async function resetIdentities(tx: PgTx, tables: TablePair[]): Promise<void> {
  for (const t of tables) {
    if (!t.identity) continue;
    const table = sql.identifier(t.name);
    const id = sql.identifier(t.identity);
    await tx.execute(
      sql`select setval(pg_get_serial_sequence(${quote(t.name)}, ${t.identity}), coalesce(max(${id}), 1), max(${id}) is not null) from ${table}`,
    );
  }
}

/** A SQL identifier, double-quoted. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
