import { and, eq, gt, inArray, isNotNull, lte, notExists, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { deprovisionTimers, escrowedOperations, provisionedAccounts, type AppDatabase } from '@autoprov/db';
import type { AccountOrigin } from '@autoprov/contract';
import type { AppAttributes, DeprovisionTimer, ProvisionedAccount } from '../model.js';
import { preparedPerDatabase } from './prepared.js';

/** Runs `query` for all rows, or for the given user ids in chunks (SQLite caps bound parameters). */
async function forUsers<T>(userIds: string[] | undefined, query: (only: string[] | null) => Promise<T[]>): Promise<T[]> {
  if (!userIds) return query(null);
  const rows: T[] = [];
  for (let i = 0; i < userIds.length; i += 500) rows.push(...(await query(userIds.slice(i, i + 500))));
  return rows;
}

export async function countAccounts(db: AppDatabase, configurationId: string): Promise<number> {
  return (
    (await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(provisionedAccounts)
      .where(and(eq(provisionedAccounts.configurationId, configurationId), isNotNull(provisionedAccounts.remoteId))).limit(1))[0]?.n ?? 0
  );
}

/** A range of directory user ids (after, upTo], upTo null meaning "to the end": one page of a paged run. */
export interface UserIdRange {
  after: string;
  upTo: string | null;
}

const inRange = (column: typeof provisionedAccounts.directoryUserId | typeof deprovisionTimers.directoryUserId, range: UserIdRange) =>
  and(gt(column, range.after), range.upTo === null ? undefined : lte(column, range.upTo));

const accountOf = (r: typeof provisionedAccounts.$inferSelect): ProvisionedAccount => ({
  directoryUserId: r.directoryUserId,
  remoteId: r.remoteId!,
  userName: r.userName,
  state: r.state,
  lastSent: r.lastSent,
});

const timerOf = (r: typeof deprovisionTimers.$inferSelect): DeprovisionTimer => ({
  directoryUserId: r.directoryUserId,
  trigger: r.trigger,
  action: r.action,
  startedAt: r.createdAt,
  dueAt: r.dueAt,
});

/** The links of one page of users (by id range): one query on the primary key, not an id list. */
export async function loadAccountsInRange(db: AppDatabase, configurationId: string, range: UserIdRange): Promise<Map<string, ProvisionedAccount>> {
  const rows = await db
    .select()
    .from(provisionedAccounts)
    .where(and(eq(provisionedAccounts.configurationId, configurationId), isNotNull(provisionedAccounts.remoteId), inRange(provisionedAccounts.directoryUserId, range)));
  return new Map(rows.map((r) => [r.directoryUserId, accountOf(r)]));
}

export async function loadTimersInRange(db: AppDatabase, configurationId: string, range: UserIdRange): Promise<Map<string, DeprovisionTimer>> {
  const rows = await db
    .select()
    .from(deprovisionTimers)
    .where(and(eq(deprovisionTimers.configurationId, configurationId), inRange(deprovisionTimers.directoryUserId, range)));
  return new Map(rows.map((r) => [r.directoryUserId, timerOf(r)]));
}

export async function loadAccounts(db: AppDatabase, configurationId: string, userIds?: string[]): Promise<Map<string, ProvisionedAccount>> {
  const rows = await forUsers(userIds, async (only) =>
    await db
      .select()
      .from(provisionedAccounts)
      .where(
        and(
          eq(provisionedAccounts.configurationId, configurationId),
          isNotNull(provisionedAccounts.remoteId),
          only ? inArray(provisionedAccounts.directoryUserId, only) : undefined,
        ),
      ),
  );
  return new Map(rows.map((r) => [r.directoryUserId, accountOf(r)]));
}

export async function loadTimers(db: AppDatabase, configurationId: string, userIds?: string[]): Promise<Map<string, DeprovisionTimer>> {
  const rows = await forUsers(userIds, async (only) =>
    await db
      .select()
      .from(deprovisionTimers)
      .where(and(eq(deprovisionTimers.configurationId, configurationId), only ? inArray(deprovisionTimers.directoryUserId, only) : undefined)),
  );
  return new Map(rows.map((r) => [r.directoryUserId, timerOf(r)]));
}

/**
 * When the first of this app's deprovisioning delays ends, if any is running. A timer whose
 * suspension or deletion failed is left out: its user is retried on the escrow schedule (E-16),
 * not by a full run at every look.
 */
export async function earliestTimerOf(db: AppDatabase, configurationId: string): Promise<Date | null> {
  const escrowed = db
    .select({ one: sql`1` })
    .from(escrowedOperations)
    .where(and(eq(escrowedOperations.configurationId, deprovisionTimers.configurationId), eq(escrowedOperations.directoryUserId, deprovisionTimers.directoryUserId)));
  const row = (await db
    .select({ next: sql<Date | null>`min(${deprovisionTimers.dueAt})`.mapWith(deprovisionTimers.dueAt) })
    .from(deprovisionTimers)
    .where(and(eq(deprovisionTimers.configurationId, configurationId), notExists(escrowed))).limit(1))[0];
  return row?.next ?? null;
}

/** One user's link and timer in one configuration: what applying an operation writes. */
export interface UserKey {
  configurationId: string;
  directoryUserId: string;
}

const whereLink = (k: UserKey) => and(eq(provisionedAccounts.configurationId, k.configurationId), eq(provisionedAccounts.directoryUserId, k.directoryUserId));
const whereTimer = (k: UserKey) => and(eq(deprovisionTimers.configurationId, k.configurationId), eq(deprovisionTimers.directoryUserId, k.directoryUserId));

/** E-5: a deprovisioning delay starts (or moves). */
export async function saveTimer(db: AppDatabase, key: UserKey, timer: Omit<DeprovisionTimer, 'directoryUserId'>) {
  const values = { trigger: timer.trigger, action: timer.action, dueAt: timer.dueAt, createdAt: timer.startedAt };
  await db.insert(deprovisionTimers)
    .values({ ...key, ...values })
    .onConflictDoUpdate({ target: [deprovisionTimers.configurationId, deprovisionTimers.directoryUserId], set: values });
}

export async function removeTimer(db: AppDatabase, key: UserKey) {
  await db.delete(deprovisionTimers).where(whereTimer(key));
}

/** The link's upsert, prepared once per database (issue 14: per-row statement building was a first sync's main cost). */
const linkUpsert = preparedPerDatabase((db) => {
  const p = sql.placeholder;
  const t = provisionedAccounts;
  // On conflict the row takes what this insert carried (all but the key and createdAt).
  const carried = (column: AnySQLiteColumn) => sql.raw(`excluded."${column.name}"`);
  return db
    .insert(t)
    .values({
      configurationId: p('configurationId'),
      directoryUserId: p('directoryUserId'),
      userName: p('userName'),
      remoteId: p('remoteId'),
      state: 'active',
      origin: p('origin'),
      lastSent: p('lastSent'),
      createdAt: p('at'),
      updatedAt: p('at'),
    })
    .onConflictDoUpdate({
      target: [t.configurationId, t.directoryUserId],
      set: { userName: carried(t.userName), remoteId: carried(t.remoteId), state: carried(t.state), origin: carried(t.origin), lastSent: carried(t.lastSent), updatedAt: carried(t.updatedAt) },
    })
    .prepare();
});

/**
 * The user's account in the app, created or adopted: the link holds what was sent (E-3, E-4) and
 * how the account became autoprov's (E-19 ownership).
 */
export async function linkAccount(db: AppDatabase, key: UserKey, account: { userName: string; remoteId: string; lastSent: AppAttributes; origin: AccountOrigin }, at: Date) {
  await linkUpsert(db).execute({
    configurationId: key.configurationId,
    directoryUserId: key.directoryUserId,
    userName: account.userName,
    remoteId: account.remoteId,
    origin: account.origin,
    lastSent: account.lastSent,
    at,
  });
}

/**
 * The account is active and holds `lastSent` (an update or an unsuspension), under `userName`
 * (the user's e-mail, as a create links it: after a rename in the directory, the new one, so that
 * a reconciliation's match by userName and its report follow the account, E-19).
 */
export async function markAccountActive(db: AppDatabase, key: UserKey, account: { lastSent: AppAttributes; userName: string }, at: Date) {
  const userName = account.userName ? { userName: account.userName } : {};
  await db.update(provisionedAccounts).set({ lastSent: account.lastSent, ...userName, state: 'active', updatedAt: at }).where(whereLink(key));
}

export async function markAccountSuspended(db: AppDatabase, key: UserKey, at: Date) {
  await db.update(provisionedAccounts).set({ state: 'suspended', updatedAt: at }).where(whereLink(key));
}

/**
 * The link follows the account to another id: one autoprov made again (`created`), or one found
 * under another id, made again by hand (`adopted`: autoprov did not create it, E-19 ownership).
 */
export async function relinkAccount(db: AppDatabase, key: UserKey, remoteId: string, at: Date, origin: AccountOrigin) {
  await db.update(provisionedAccounts)
    .set({ remoteId, origin, updatedAt: at })
    .where(whereLink(key));
}

export async function unlinkAccount(db: AppDatabase, key: UserKey) {
  await db.delete(provisionedAccounts).where(whereLink(key));
}
