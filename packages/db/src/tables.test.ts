import { is, Table } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as sqlite from './schema/index.js';
import * as pg from './schema-pg/index.js';
import * as tables from './tables.js';

const tableNames = (schema: Record<string, unknown>) => Object.keys(schema).filter((k) => is(schema[k], Table)).sort();

describe('the tables store code imports (issue 16)', () => {
  it('are every table of the schema, the SQLite ones by default', () => {
    const live = tableNames(tables as unknown as Record<string, unknown>);
    expect(live).toEqual(tableNames(sqlite));
    for (const name of live) expect((tables as unknown as Record<string, unknown>)[name]).toBe((sqlite as Record<string, unknown>)[name]);
    expect(tables.tablesDialect()).toBe('sqlite');
  });

  it('all become the PostgreSQL twins when a process opens PostgreSQL, and back', () => {
    try {
      tables.useTablesOf('postgres');
      for (const name of tableNames(sqlite)) expect((tables as unknown as Record<string, unknown>)[name]).toBe((pg as Record<string, unknown>)[name]);
    } finally {
      tables.useTablesOf('sqlite');
    }
    expect(tables.appConfigurations).toBe(sqlite.appConfigurations);
  });
});
