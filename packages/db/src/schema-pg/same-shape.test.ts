import { Column, getTableName, is, SQL, Table } from 'drizzle-orm';
import { getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as sqlite from '../schema/index.js';
import * as pg from './index.js';

// Store code is typed by the SQLite schema and runs on PostgreSQL with this one: the rows must be
// the same TypeScript types, and the tables the same tables. The type checks fail `tsc` (the
// package's typecheck), not `vitest run`, which does not check types.

type Rows<S, Kind extends '$inferSelect' | '$inferInsert'> = {
  [N in keyof S as S[N] extends Table ? N : never]: S[N] extends Table ? S[N][Kind] : never;
};

describe('types', () => {
  it('every table of both schemas has the same row types (a table missing on one side fails too)', () => {
    expectTypeOf<Rows<typeof pg, '$inferSelect'>>().toEqualTypeOf<Rows<typeof sqlite, '$inferSelect'>>();
    expectTypeOf<Rows<typeof pg, '$inferInsert'>>().toEqualTypeOf<Rows<typeof sqlite, '$inferInsert'>>();
  });

  // Table by table as well: a mismatch is then reported on the table's own line.
  it('admins.ts', () => {
    expectTypeOf<typeof pg.admins.$inferSelect>().toEqualTypeOf<typeof sqlite.admins.$inferSelect>();
    expectTypeOf<typeof pg.admins.$inferInsert>().toEqualTypeOf<typeof sqlite.admins.$inferInsert>();
    expectTypeOf<typeof pg.recoveryCodes.$inferSelect>().toEqualTypeOf<typeof sqlite.recoveryCodes.$inferSelect>();
    expectTypeOf<typeof pg.recoveryCodes.$inferInsert>().toEqualTypeOf<typeof sqlite.recoveryCodes.$inferInsert>();
    expectTypeOf<typeof pg.passwordResets.$inferSelect>().toEqualTypeOf<typeof sqlite.passwordResets.$inferSelect>();
    expectTypeOf<typeof pg.passwordResets.$inferInsert>().toEqualTypeOf<typeof sqlite.passwordResets.$inferInsert>();
    expectTypeOf<typeof pg.signInThrottle.$inferSelect>().toEqualTypeOf<typeof sqlite.signInThrottle.$inferSelect>();
    expectTypeOf<typeof pg.signInThrottle.$inferInsert>().toEqualTypeOf<typeof sqlite.signInThrottle.$inferInsert>();
    expectTypeOf<typeof pg.securitySettings.$inferSelect>().toEqualTypeOf<typeof sqlite.securitySettings.$inferSelect>();
    expectTypeOf<typeof pg.securitySettings.$inferInsert>().toEqualTypeOf<typeof sqlite.securitySettings.$inferInsert>();
    expectTypeOf<typeof pg.sessions.$inferSelect>().toEqualTypeOf<typeof sqlite.sessions.$inferSelect>();
    expectTypeOf<typeof pg.sessions.$inferInsert>().toEqualTypeOf<typeof sqlite.sessions.$inferInsert>();
  });

  it('directory.ts', () => {
    expectTypeOf<typeof pg.organisation.$inferSelect>().toEqualTypeOf<typeof sqlite.organisation.$inferSelect>();
    expectTypeOf<typeof pg.organisation.$inferInsert>().toEqualTypeOf<typeof sqlite.organisation.$inferInsert>();
    expectTypeOf<typeof pg.domains.$inferSelect>().toEqualTypeOf<typeof sqlite.domains.$inferSelect>();
    expectTypeOf<typeof pg.domains.$inferInsert>().toEqualTypeOf<typeof sqlite.domains.$inferInsert>();
    expectTypeOf<typeof pg.orgUnits.$inferSelect>().toEqualTypeOf<typeof sqlite.orgUnits.$inferSelect>();
    expectTypeOf<typeof pg.orgUnits.$inferInsert>().toEqualTypeOf<typeof sqlite.orgUnits.$inferInsert>();
    expectTypeOf<typeof pg.directoryUsers.$inferSelect>().toEqualTypeOf<typeof sqlite.directoryUsers.$inferSelect>();
    expectTypeOf<typeof pg.directoryUsers.$inferInsert>().toEqualTypeOf<typeof sqlite.directoryUsers.$inferInsert>();
    expectTypeOf<typeof pg.directoryGroups.$inferSelect>().toEqualTypeOf<typeof sqlite.directoryGroups.$inferSelect>();
    expectTypeOf<typeof pg.directoryGroups.$inferInsert>().toEqualTypeOf<typeof sqlite.directoryGroups.$inferInsert>();
    expectTypeOf<typeof pg.groupMembers.$inferSelect>().toEqualTypeOf<typeof sqlite.groupMembers.$inferSelect>();
    expectTypeOf<typeof pg.groupMembers.$inferInsert>().toEqualTypeOf<typeof sqlite.groupMembers.$inferInsert>();
    expectTypeOf<typeof pg.directoryChanges.$inferSelect>().toEqualTypeOf<typeof sqlite.directoryChanges.$inferSelect>();
    expectTypeOf<typeof pg.directoryChanges.$inferInsert>().toEqualTypeOf<typeof sqlite.directoryChanges.$inferInsert>();
    expectTypeOf<typeof pg.directorySource.$inferSelect>().toEqualTypeOf<typeof sqlite.directorySource.$inferSelect>();
    expectTypeOf<typeof pg.directorySource.$inferInsert>().toEqualTypeOf<typeof sqlite.directorySource.$inferInsert>();
  });

  it('provisioning.ts', () => {
    expectTypeOf<typeof pg.appConfigurations.$inferSelect>().toEqualTypeOf<typeof sqlite.appConfigurations.$inferSelect>();
    expectTypeOf<typeof pg.appConfigurations.$inferInsert>().toEqualTypeOf<typeof sqlite.appConfigurations.$inferInsert>();
    expectTypeOf<typeof pg.scopeGroups.$inferSelect>().toEqualTypeOf<typeof sqlite.scopeGroups.$inferSelect>();
    expectTypeOf<typeof pg.scopeGroups.$inferInsert>().toEqualTypeOf<typeof sqlite.scopeGroups.$inferInsert>();
    expectTypeOf<typeof pg.appAvailability.$inferSelect>().toEqualTypeOf<typeof sqlite.appAvailability.$inferSelect>();
    expectTypeOf<typeof pg.appAvailability.$inferInsert>().toEqualTypeOf<typeof sqlite.appAvailability.$inferInsert>();
    expectTypeOf<typeof pg.provisionedAccounts.$inferSelect>().toEqualTypeOf<typeof sqlite.provisionedAccounts.$inferSelect>();
    expectTypeOf<typeof pg.provisionedAccounts.$inferInsert>().toEqualTypeOf<typeof sqlite.provisionedAccounts.$inferInsert>();
    expectTypeOf<typeof pg.deprovisionTimers.$inferSelect>().toEqualTypeOf<typeof sqlite.deprovisionTimers.$inferSelect>();
    expectTypeOf<typeof pg.deprovisionTimers.$inferInsert>().toEqualTypeOf<typeof sqlite.deprovisionTimers.$inferInsert>();
    expectTypeOf<typeof pg.syncRuns.$inferSelect>().toEqualTypeOf<typeof sqlite.syncRuns.$inferSelect>();
    expectTypeOf<typeof pg.syncRuns.$inferInsert>().toEqualTypeOf<typeof sqlite.syncRuns.$inferInsert>();
    expectTypeOf<typeof pg.runExchanges.$inferSelect>().toEqualTypeOf<typeof sqlite.runExchanges.$inferSelect>();
    expectTypeOf<typeof pg.runExchanges.$inferInsert>().toEqualTypeOf<typeof sqlite.runExchanges.$inferInsert>();
    expectTypeOf<typeof pg.syncReportLines.$inferSelect>().toEqualTypeOf<typeof sqlite.syncReportLines.$inferSelect>();
    expectTypeOf<typeof pg.syncReportLines.$inferInsert>().toEqualTypeOf<typeof sqlite.syncReportLines.$inferInsert>();
    expectTypeOf<typeof pg.usageEvents.$inferSelect>().toEqualTypeOf<typeof sqlite.usageEvents.$inferSelect>();
    expectTypeOf<typeof pg.usageEvents.$inferInsert>().toEqualTypeOf<typeof sqlite.usageEvents.$inferInsert>();
    expectTypeOf<typeof pg.usageEventDays.$inferSelect>().toEqualTypeOf<typeof sqlite.usageEventDays.$inferSelect>();
    expectTypeOf<typeof pg.usageEventDays.$inferInsert>().toEqualTypeOf<typeof sqlite.usageEventDays.$inferInsert>();
    expectTypeOf<typeof pg.teamMappings.$inferSelect>().toEqualTypeOf<typeof sqlite.teamMappings.$inferSelect>();
    expectTypeOf<typeof pg.teamMappings.$inferInsert>().toEqualTypeOf<typeof sqlite.teamMappings.$inferInsert>();
    expectTypeOf<typeof pg.provisionedTeams.$inferSelect>().toEqualTypeOf<typeof sqlite.provisionedTeams.$inferSelect>();
    expectTypeOf<typeof pg.provisionedTeams.$inferInsert>().toEqualTypeOf<typeof sqlite.provisionedTeams.$inferInsert>();
    expectTypeOf<typeof pg.ssoSettings.$inferSelect>().toEqualTypeOf<typeof sqlite.ssoSettings.$inferSelect>();
    expectTypeOf<typeof pg.ssoSettings.$inferInsert>().toEqualTypeOf<typeof sqlite.ssoSettings.$inferInsert>();
    expectTypeOf<typeof pg.pendingAuthorizations.$inferSelect>().toEqualTypeOf<typeof sqlite.pendingAuthorizations.$inferSelect>();
    expectTypeOf<typeof pg.pendingAuthorizations.$inferInsert>().toEqualTypeOf<typeof sqlite.pendingAuthorizations.$inferInsert>();
    expectTypeOf<typeof pg.configurationAudit.$inferSelect>().toEqualTypeOf<typeof sqlite.configurationAudit.$inferSelect>();
    expectTypeOf<typeof pg.configurationAudit.$inferInsert>().toEqualTypeOf<typeof sqlite.configurationAudit.$inferInsert>();
    expectTypeOf<pg.ConfigurationRow>().toEqualTypeOf<sqlite.ConfigurationRow>();
    expectTypeOf<pg.SyncRunRow>().toEqualTypeOf<sqlite.SyncRunRow>();
  });

  it('alerts.ts', () => {
    expectTypeOf<typeof pg.alertSettings.$inferSelect>().toEqualTypeOf<typeof sqlite.alertSettings.$inferSelect>();
    expectTypeOf<typeof pg.alertSettings.$inferInsert>().toEqualTypeOf<typeof sqlite.alertSettings.$inferInsert>();
    expectTypeOf<typeof pg.alertEpisodes.$inferSelect>().toEqualTypeOf<typeof sqlite.alertEpisodes.$inferSelect>();
    expectTypeOf<typeof pg.alertEpisodes.$inferInsert>().toEqualTypeOf<typeof sqlite.alertEpisodes.$inferInsert>();
    expectTypeOf<pg.StoredAlertDelivery>().toEqualTypeOf<sqlite.StoredAlertDelivery>();
  });

  it('escrow.ts', () => {
    expectTypeOf<typeof pg.escrowedOperations.$inferSelect>().toEqualTypeOf<typeof sqlite.escrowedOperations.$inferSelect>();
    expectTypeOf<typeof pg.escrowedOperations.$inferInsert>().toEqualTypeOf<typeof sqlite.escrowedOperations.$inferInsert>();
    expectTypeOf<typeof pg.configurationHealth.$inferSelect>().toEqualTypeOf<typeof sqlite.configurationHealth.$inferSelect>();
    expectTypeOf<typeof pg.configurationHealth.$inferInsert>().toEqualTypeOf<typeof sqlite.configurationHealth.$inferInsert>();
  });
});

/** The parts of a table both dialects have, in comparable form. */
interface Shape {
  name: string;
  columns: { key: string; name: string; notNull: boolean; hasDefault: boolean; unique: boolean }[];
  primaryKey: string[];
  foreignKeys: { name: string; columns: string[]; foreignTable: string; foreignColumns: string[]; onDelete: string | undefined }[];
  indexes: { name: string; unique: boolean; on: string[]; partial: boolean }[];
  checks: string[];
}

type Config = ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>;

function shapeOf(table: Table, config: Config): Shape {
  const columnKeys = new Map(Object.entries(table).filter(([, c]) => is(c, Column)).map(([key, c]) => [c as Column, key]));
  const names = (columns: Column[]) => columns.map((c) => c.name);
  return {
    name: config.name,
    columns: config.columns
      .map((c) => ({ key: columnKeys.get(c) ?? '?', name: c.name, notNull: c.notNull, hasDefault: c.hasDefault, unique: c.isUnique }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    // Declared on the column or as a composite key: either way, the same key columns.
    primaryKey: [...config.columns.filter((c) => c.primary).map((c) => c.name), ...config.primaryKeys.flatMap((pk) => names(pk.columns))],
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return {
          name: fk.getName(),
          columns: names(ref.columns),
          foreignTable: getTableName(ref.foreignTable),
          foreignColumns: names(ref.foreignColumns),
          onDelete: fk.onDelete,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes
      .map(({ config: i }) => ({
        name: i.name ?? '',
        unique: i.unique,
        on: (i.columns as unknown[]).map((c) => (is(c, SQL) ? 'expression' : (c as Column).name)),
        partial: i.where !== undefined,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: config.checks.map((c) => c.name).sort(),
  };
}

const tablesOf = (schema: Record<string, unknown>) =>
  new Map(Object.entries(schema).filter((e): e is [string, Table] => is(e[1], Table)));

const sqliteTables = tablesOf(sqlite);
const pgTables = tablesOf(pg);

describe('tables', () => {
  it('both schemas export the same names and the same tables', () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
    expect(sqliteTables.size).toBeGreaterThan(30);
  });

  it.each([...sqliteTables.keys()])('%s: same SQL name, columns, keys and indexes', (key) => {
    const sqliteTable = sqliteTables.get(key)!;
    const pgTable = pgTables.get(key);
    expect(pgTable, `${key} is missing from schema-pg`).toBeDefined();
    const expected = shapeOf(sqliteTable, sqliteTableConfig(sqliteTable as Parameters<typeof sqliteTableConfig>[0]));
    const actual = shapeOf(pgTable!, pgTableConfig(pgTable as Parameters<typeof pgTableConfig>[0]));
    expect(actual).toEqual(expected);
  });
});
