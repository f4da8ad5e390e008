import { sql, type SQL } from 'drizzle-orm';
import type { AppDatabase } from '@autoprov/db';

/**
 * Statements a run writes once per user, prepared once per database: building each with the
 * query builder and compiling it for every row was most of a large first sync's CPU (issue 14,
 * BENCHMARKS.md). `prepare` runs the first time a database asks; a closed database's
 * statements go with it.
 */
export function preparedPerDatabase<T>(prepare: (db: AppDatabase) => T): (db: AppDatabase) => T {
  const cache = new WeakMap<AppDatabase, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (prepared === undefined) cache.set(db, (prepared = prepare(db)));
    return prepared;
  };
}

/**
 * A placeholder bound as given, not through the column's encoder: for nullable JSON and time
 * columns, whose encoders would write null as the text "null" or fail on it. The caller encodes.
 */
export const raw = (name: string): SQL => sql`${sql.placeholder(name)}`;
