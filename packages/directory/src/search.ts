import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `column LIKE %term%` with the term's own `%`, `_` and `\` taken literally. */
export function contains(column: SQLWrapper, term: string): SQL {
  const escaped = term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`lower(${column}) like ${`%${escaped}%`} escape '\\'`;
}

export function offsetOf(page: number, pageSize: number): number {
  return (page - 1) * pageSize;
}
