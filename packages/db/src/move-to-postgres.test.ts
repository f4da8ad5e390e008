import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq, getTableName, is, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '@autoprov/secrets';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres.mjs';
import { openSqliteConnection } from './migrations.js';
import { moveToPostgres } from './move-to-postgres.js';
import { createEmptyDatabase } from './testing/test-database.js';
import * as s from './schema/index.js';
import * as p from './schema-pg/index.js';

// A SQLite install on disk, written with the SQLite schema directly: this process's tables
// (tables.ts) become PostgreSQL's at the first move, so the store code cannot write it here.

const key = randomBytes(32);
const box = new SecretBox(key);
const at = new Date('2025-03-04T05:06:07.891Z');
const credentials = JSON.stringify({ accessToken: 'tok-123', refreshToken: 'ref-456' });
const sealedCredentials = box.seal(credentials, 'cfg-1');
const bigId = 5_000_000_000; // beyond a 32-bit integer
const orgUnitCount = 1_103; // more than one chunk of org units (1,000 rows)
const usageEventCount = 2_500; // several chunks

const allTables = Object.values(s).filter((v) => is(v, SQLiteTable)).map((t) => getTableName(t));

/** Every table gets rows; `nulIn` puts a NUL character in the usage log, one of the last tables copied. */
function buildInstall(file: string, options: { nulIn?: 'usage_events' | 'last_sent'; outOfRange?: boolean; dangling?: boolean } = {}): void {
  const { sqlite, db } = openSqliteConnection(file);
  try {
    db.transaction((tx) => {
      tx.insert(s.admins).values([
        { id: 'adm-1', email: 'ada@example.com', name: 'Ada', role: 'super_admin', passwordHash: 'scrypt$16384$8$1$salt$hash', createdAt: at, totpSecret: box.seal('JBSWY3DPEHPK3PXP', 'adm-1') },
        { id: 'adm-2', email: 'bob@example.com', name: 'Bob', role: 'read_only', passwordHash: 'scrypt$16384$8$1$salt$hash2', createdAt: at },
      ]).run();
      tx.insert(s.recoveryCodes).values({ id: 'rc-1', adminId: 'adm-1', codeHash: 'h1' }).run();
      tx.insert(s.passwordResets).values({ id: 'pr-1', adminId: 'adm-2', createdBy: 'server', createdAt: at, expiresAt: at, clearsTwoFactor: true }).run();
      tx.insert(s.signInThrottle).values({ key: 'acct:ada@example.com', failures: 3, lastFailureAt: at, blockedUntil: at }).run();
      tx.insert(s.securitySettings).values({ id: 1, requireTwoFactor: true }).run();
      tx.insert(s.sessions).values({ id: 'sess-1', adminId: 'adm-1', csrfToken: 'csrf', createdAt: at, expiresAt: at, lastActiveAt: at, userAgent: 'test' }).run();

      tx.insert(s.organisation).values({ id: 1, name: 'Acme', createdAt: at }).run();
      tx.insert(s.domains).values({ name: 'example.com', kind: 'primary' }).run();
      // Written children first by rowid: u1 is moved under `deep`, the last unit written, so a
      // copy in rowid order would insert u1 a whole chunk before its parent.
      tx.insert(s.orgUnits).values({ id: 'root', parentId: null, name: 'Acme', path: '/', createdAt: at }).run();
      for (let i = 1; i <= orgUnitCount - 2; i++) {
        tx.insert(s.orgUnits).values({ id: `u${i}`, parentId: 'root', name: `Unit ${i}`, path: `/Unit ${i}`, createdAt: at }).run();
      }
      tx.insert(s.orgUnits).values({ id: 'deep', parentId: `u${orgUnitCount - 2}`, name: 'Deep', path: `/Unit ${orgUnitCount - 2}/Deep`, createdAt: at }).run();
      tx.update(s.orgUnits).set({ parentId: 'deep', path: `/Unit ${orgUnitCount - 2}/Deep/Unit 1` }).where(eq(s.orgUnits.id, 'u1')).run();

      tx.insert(s.directoryUsers).values([
        { id: 'usr-1', primaryEmail: 'carol@example.com', givenName: 'Carol', familyName: 'C', orgUnitId: 'u1', createdAt: at, updatedAt: at },
        { id: 'usr-2', primaryEmail: 'dan@example.com', givenName: 'Dan', familyName: 'D', orgUnitId: 'deep', status: 'suspended', createdAt: at, updatedAt: at },
      ]).run();
      tx.insert(s.directoryGroups).values([
        { id: 'grp-1', email: 'eng@example.com', name: 'Engineering', createdAt: at },
        { id: 'grp-2', email: 'all@example.com', name: 'All', createdAt: at },
      ]).run();
      tx.insert(s.groupMembers).values([
        { id: 'gm-1', groupId: 'grp-1', kind: 'user', userId: 'usr-1', createdAt: at },
        { id: 'gm-2', groupId: 'grp-2', kind: 'group', memberGroupId: 'grp-1', createdAt: at },
        { id: 'gm-3', groupId: 'grp-2', kind: 'external', externalEmail: 'x@elsewhere.org', createdAt: at },
      ]).run();
      tx.insert(s.directoryChanges).values([
        { occurredAt: at, actorLabel: 'seed', entityKind: 'user', entityId: 'usr-1', action: 'created', summary: 'Carol created', after: { name: 'Carol', tags: ['a', 'b'] } },
        { id: bigId, occurredAt: at, actorAdminId: 'adm-1', actorLabel: 'Ada', entityKind: 'user', entityId: 'usr-2', action: 'suspended', summary: 'Dan suspended', before: { status: 'active' }, after: { status: 'suspended' } },
      ]).run();
      tx.insert(s.directorySource).values({ id: 1, kind: 'google', sealedKey: box.seal('{"private_key":"k"}', 'google'), changeCursor: { time: '2025-03-04T00:00:00Z', seen: ['e1'] }, connectedAt: at }).run();

      tx.insert(s.appConfigurations).values({
        id: 'cfg-1', appKey: 'gotomeeting', state: 'active', endpointUrl: 'https://api.example.com/scim', sealedCredentials,
        mapping: { userName: 'primaryEmail', 'name.givenName': 'givenName' }, deprovisioning: { app_off: { delay: '1d', action: 'suspend' }, suspended: { delay: 'next_sync', action: 'suspend' }, deleted: { delay: '7d', action: 'delete' } },
        limitsOverride: null, directoryCursor: bigId, createdAt: at, updatedAt: at,
      }).run();
      tx.insert(s.scopeGroups).values({ configurationId: 'cfg-1', groupId: 'grp-1', accessLevel: 'member' }).run();
      tx.insert(s.appAvailability).values({ appKey: 'gotomeeting', orgUnitId: 'root', on: true }).run();
      tx.insert(s.provisionedAccounts).values({ configurationId: 'cfg-1', directoryUserId: 'usr-1', userName: 'carol@example.com', remoteId: 'r-1', lastSent: { title: null, mail: 'carol@example.com' }, createdAt: at, updatedAt: at }).run();
      tx.insert(s.deprovisionTimers).values({ configurationId: 'cfg-1', directoryUserId: 'usr-2', trigger: 'suspended', action: 'suspend', dueAt: at, createdAt: at }).run();
      tx.insert(s.syncRuns).values({ id: 'run-1', configurationId: 'cfg-1', trigger: 'manual', state: 'succeeded', dryRun: false, requestedAt: at, startedAt: at, endedAt: at, counts: { created: 1 }, planned: 1, done: 1 }).run();
      tx.insert(s.runExchanges).values({ runId: 'run-1', seq: 1, at, method: 'POST', url: 'https://api.example.com/scim/Users', requestHeaders: { authorization: '***' }, requestBody: '{}', status: 201, responseBody: '{}', durationMs: 12 }).run();
      tx.insert(s.syncReportLines).values({ runId: 'run-1', directoryUserId: 'usr-1', userEmail: 'carol@example.com', action: 'create', result: 'succeeded', changes: { title: { before: null, after: 'Eng' } } }).run();
      for (let i = 0; i < usageEventCount; i += 500) {
        tx.insert(s.usageEvents)
          .values(Array.from({ length: 500 }, (_, j) => ({ occurredAt: new Date(at.getTime() + i + j), appKey: 'gotomeeting', kind: 'user_created' as const, userEmail: `u${i + j}@example.com`, detail: `event ${i + j}` })))
          .run();
      }
      // SQLite integers are 64-bit; this PostgreSQL column is a 32-bit integer.
      if (options.outOfRange) tx.update(s.syncRuns).set({ planned: bigId }).where(eq(s.syncRuns.id, 'run-1')).run();
      if (options.nulIn === 'last_sent') {
        tx.update(s.provisionedAccounts).set({ lastSent: { title: 'a\u0000b' } }).where(eq(s.provisionedAccounts.directoryUserId, 'usr-1')).run();
      }
      if (options.nulIn === 'usage_events') tx.update(s.usageEvents).set({ detail: 'before\u0000after' }).where(eq(s.usageEvents.id, 1_234)).run();
      tx.insert(s.usageEventDays).values({ day: '2025-03-04', appKey: 'gotomeeting', kind: 'user_created', count: usageEventCount }).run();
      tx.insert(s.teamMappings).values({ configurationId: 'cfg-1', groupId: 'grp-1', teamName: 'Engineering' }).run();
      tx.insert(s.provisionedTeams).values({ configurationId: 'cfg-1', teamName: 'Engineering', remoteId: 't-1', members: ['r-1'], updatedAt: at }).run();
      tx.insert(s.ssoSettings).values({ appKey: 'gotomeeting', entityId: 'urn:x', ssoUrl: 'https://sso.example.com', certificate: 'CERT', updatedAt: at }).run();
      tx.insert(s.pendingAuthorizations).values({ state: 'st-1', configurationId: 'cfg-1', adminId: 'adm-1', sealed: box.seal('{"verifier":"v"}', 'st-1'), createdAt: at }).run();
      tx.insert(s.configurationAudit).values({ appKey: 'gotomeeting', adminLabel: 'Ada', action: 'activated', detail: null, at }).run();
      tx.insert(s.alertSettings).values({ id: 1, smtpHost: 'smtp.example.com', sealedSmtpPassword: box.seal('smtp-pass', 'smtp'), updatedAt: at }).run();
      tx.insert(s.alertEpisodes).values({ id: 'ep-1', kind: 'run_held', configurationId: 'cfg-1', appKey: 'gotomeeting', message: 'held', startedAt: at, deliveries: [{ channel: 'email', to: 'ada@example.com', ok: true, attempts: 1, at: at.toISOString(), error: null }] }).run();
      tx.insert(s.escrowedOperations).values({ configurationId: 'cfg-1', directoryUserId: 'usr-2', userEmail: 'dan@example.com', operation: 'suspend', kind: 'transient', fingerprint: 'fp', attempts: 2, lastError: '503', firstFailedAt: at, lastAttemptAt: at, nextAttemptAt: at }).run();
      tx.insert(s.configurationHealth).values({ configurationId: 'cfg-1', failingStreak: 1, recentErrors: [{ at: at.toISOString(), message: 'timeout' }] }).run();
    });
    if (options.dangling) {
      // What an install whose foreign keys were once off may hold: a session of no admin.
      sqlite.pragma('foreign_keys = OFF');
      db.insert(s.sessions).values({ id: 'sess-ghost', adminId: 'ghost', csrfToken: 'c', createdAt: at, expiresAt: at }).run();
    }
  } finally {
    sqlite.close();
  }
}

let server: PostgresServer;
let folder: string;
const opened: pg.Pool[] = [];

beforeAll(async () => {
  server = await startPostgres();
  folder = mkdtempSync(join(tmpdir(), 'autoprov-move-'));
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((pool) => pool.end()));
});

afterAll(async () => {
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** A new empty database on the test server; its address carries a password (trust ignores it) to check it is never shown. */
async function freshDatabase(): Promise<string> {
  const url = new URL(await createEmptyDatabase(server.url, 'autoprov_move'));
  url.password = 'hunter2-secret';
  return url.toString();
}

function read(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  opened.push(pool);
  return drizzlePg({ client: pool, schema: p });
}

async function countsIn(url: string): Promise<Record<string, number>> {
  const db = read(url);
  const counts: Record<string, number> = {};
  for (const table of allTables) {
    const { rows } = await db.execute<{ n: string }>(sql`select count(*) as n from ${sql.identifier(table)}`);
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

function newInstall(options?: Parameters<typeof buildInstall>[1]): string {
  const file = join(folder, `${randomBytes(4).toString('hex')}.sqlite`);
  buildInstall(file, options);
  return file;
}

describe('moveToPostgres', () => {
  it('copies every table, with equal counts, and the values read back the same', async () => {
    const sqliteFile = newInstall();
    const postgresUrl = await freshDatabase();
    const reported: { table: string; rows: number }[] = [];

    const { tables } = await moveToPostgres({ sqliteFile, postgresUrl, onTable: (t) => reported.push(t) });

    expect(allTables.length).toBe(33);
    expect(tables.map((t) => t.table).sort()).toEqual([...allTables].sort());
    for (const t of tables) {
      expect(t.sqlite, t.table).toBeGreaterThan(0);
      expect(t.postgres, t.table).toBe(t.sqlite);
    }
    expect(tables.find((t) => t.table === 'org_units')?.postgres).toBe(orgUnitCount);
    expect(tables.find((t) => t.table === 'usage_events')?.postgres).toBe(usageEventCount);
    expect(reported.map((r) => r.table)).toEqual(tables.map((t) => t.table));
    // Foreign-key order: a user's org unit is copied before the user.
    expect(reported.findIndex((r) => r.table === 'org_units')).toBeLessThan(reported.findIndex((r) => r.table === 'directory_users'));
    expect(await countsIn(postgresUrl)).toEqual(Object.fromEntries(tables.map((t) => [t.table, t.sqlite])));

    const db = read(postgresUrl);
    const [admin] = await db.select().from(p.admins).where(eq(p.admins.id, 'adm-1'));
    expect(admin?.createdAt).toEqual(at);
    expect(admin?.lastSignInAt).toBeNull();
    expect(box.open(admin?.totpSecret ?? '', 'adm-1')).toBe('JBSWY3DPEHPK3PXP');
    const [config] = await db.select().from(p.appConfigurations);
    expect(config?.sealedCredentials).toBe(sealedCredentials);
    // The same key opens what was sealed in SQLite: the text crossed byte for byte.
    expect(box.open(config?.sealedCredentials ?? '', 'cfg-1')).toBe(credentials);
    expect(config?.mapping).toEqual({ userName: 'primaryEmail', 'name.givenName': 'givenName' });
    expect(config?.deprovisioning?.deleted).toEqual({ delay: '7d', action: 'delete' });
    expect(config?.limitsOverride).toBeNull();
    expect(config?.directoryCursor).toBe(bigId);
    const [big] = await db.select().from(p.directoryChanges).where(eq(p.directoryChanges.id, bigId));
    expect(big).toMatchObject({ id: bigId, occurredAt: at, before: { status: 'active' }, after: { status: 'suspended' } });
    const [settings] = await db.select().from(p.securitySettings);
    expect(settings?.requireTwoFactor).toBe(true);
    const [moved] = await db.select().from(p.orgUnits).where(eq(p.orgUnits.id, 'u1'));
    expect(moved?.parentId).toBe('deep');
    const [episode] = await db.select().from(p.alertEpisodes);
    expect(episode?.deliveries).toEqual([{ channel: 'email', to: 'ada@example.com', ok: true, attempts: 1, at: at.toISOString(), error: null }]);

    // The sequences follow the copied ids: the next generated id is the copied maximum plus one.
    const [change] = await db
      .insert(p.directoryChanges)
      .values({ occurredAt: at, actorLabel: 'after', entityKind: 'user', entityId: 'usr-1', action: 'updated', summary: 'after the move' })
      .returning({ id: p.directoryChanges.id });
    expect(change?.id).toBe(bigId + 1);
    const [event] = await db.insert(p.usageEvents).values({ occurredAt: at, appKey: 'gotomeeting', kind: 'failure' }).returning({ id: p.usageEvents.id });
    expect(event?.id).toBe(usageEventCount + 1);
    const [audit] = await db.insert(p.configurationAudit).values({ appKey: 'x', adminLabel: 'Ada', action: 'a', at }).returning({ id: p.configurationAudit.id });
    expect(audit?.id).toBe(2);
  });

  it('refuses a database that already has rows, naming the table, and changes nothing there', async () => {
    const postgresUrl = await freshDatabase();
    await moveToPostgres({ sqliteFile: newInstall(), postgresUrl });
    const before = await countsIn(postgresUrl);

    const second = moveToPostgres({ sqliteFile: newInstall(), postgresUrl });
    await expect(second).rejects.toThrow(/is not empty: table admins has rows/);
    await expect(second).rejects.not.toThrow(/hunter2/);
    expect(await countsIn(postgresUrl)).toEqual(before);
  });

  it('leaves the database empty when the copy fails part-way, and names the table and column of a NUL character', async () => {
    const sqliteFile = newInstall({ nulIn: 'usage_events' });
    const postgresUrl = await freshDatabase();
    const reported: string[] = [];

    const move = moveToPostgres({ sqliteFile, postgresUrl, onTable: (t) => reported.push(t.table) });
    await expect(move).rejects.toThrow(/Table usage_events, column detail \(row id=1234\) holds a NUL character/);

    // Tables were copied before the failing one, and none of them was kept.
    expect(reported).toContain('admins');
    expect(reported).toContain('org_units');
    expect(reported).not.toContain('usage_events');
    const counts = await countsIn(postgresUrl);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(Object.keys(counts)).toHaveLength(33);
  });

  it('finds a NUL character inside a JSON value too', async () => {
    const postgresUrl = await freshDatabase();
    await expect(moveToPostgres({ sqliteFile: newInstall({ nulIn: 'last_sent' }), postgresUrl })).rejects.toThrow(
      /Table provisioned_accounts, column last_sent \(row configuration_id=cfg-1, directory_user_id=usr-1\) holds a NUL character/,
    );
    expect(Object.values(await countsIn(postgresUrl)).every((n) => n === 0)).toBe(true);
  });

  it('names the table of a value PostgreSQL refuses, without the statement or its values, and keeps nothing', async () => {
    const postgresUrl = await freshDatabase();
    const move = moveToPostgres({ sqliteFile: newInstall({ outOfRange: true }), postgresUrl });
    await expect(move).rejects.toThrow(/^Copying table sync_runs failed: value "5000000000" is out of range for type integer\. Nothing was copied\.$/);
    expect(Object.values(await countsIn(postgresUrl)).every((n) => n === 0)).toBe(true);
  });

  it('refuses, before copying anything, rows whose foreign keys point nowhere', async () => {
    const postgresUrl = await freshDatabase();
    const reported: string[] = [];
    const move = moveToPostgres({ sqliteFile: newInstall({ dangling: true }), postgresUrl, onTable: (t) => reported.push(t.table) });
    await expect(move).rejects.toThrow(/foreign keys point to missing rows, which PostgreSQL would refuse: sessions → admins \(1\)/);
    expect(reported).toEqual([]);
  });

  it('refuses a SQLite file that does not exist, and does not create it', async () => {
    const missing = join(folder, 'nowhere', 'autoprov.sqlite');
    await expect(moveToPostgres({ sqliteFile: missing, postgresUrl: await freshDatabase() })).rejects.toThrow(/No SQLite database at .*AUTOPROV_DATA_DIR/);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a SQLite file that is not an autoprov database, leaving it as it was', async () => {
    const other = join(folder, 'other.sqlite');
    const sqlite = new Database(other);
    sqlite.exec('create table notes (body text)');
    sqlite.close();
    await expect(moveToPostgres({ sqliteFile: other, postgresUrl: await freshDatabase() })).rejects.toThrow(/not an autoprov database/);
    const check = new Database(other, { readonly: true });
    expect(check.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([{ name: 'notes' }]);
    check.close();
  });
});
