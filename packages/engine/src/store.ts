import { randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import {
  appAvailability,
  appConfigurations,
  deprovisionTimers,
  orgUnits,
  provisionedAccounts,
  scopeGroups,
  syncReportLines,
  syncRuns,
  usageEventDays,
  usageEvents,
  type AppDatabase,
} from '@autoprov/db';
import {
  catalogEntry,
  type DeprovisionAction,
  type DeprovisionDelay,
  type DeprovisionTrigger,
  type SyncRunState,
  type SyncTrigger,
  type UsageEventKind,
} from '@autoprov/contract';
import type { DeprovisionRules, DeprovisionTimer, FieldChange, PlanConfiguration, ProvisionedAccount } from './model.js';

export const defaultRules: DeprovisionRules = {
  app_off: { delay: 'next_sync', action: 'suspend' },
  suspended: { delay: 'next_sync', action: 'suspend' },
  deleted: { delay: 'next_sync', action: 'suspend' },
};

export type ConfigurationRow = typeof appConfigurations.$inferSelect;

/** Everything about one app configuration that a run reads, in one go. */
export function loadConfiguration(db: AppDatabase, configurationId: string) {
  const row = db.select().from(appConfigurations).where(eq(appConfigurations.id, configurationId)).get();
  // A deleted configuration keeps its row for its history only (M-4): nothing runs for it.
  if (!row || row.deletedAt) return null;
  const entry = catalogEntry(row.appKey);
  const scope = db.select().from(scopeGroups).where(eq(scopeGroups.configurationId, configurationId)).all();
  const availability = new Map(
    db
      .select({ path: orgUnits.path, on: appAvailability.on })
      .from(appAvailability)
      .innerJoin(orgUnits, eq(orgUnits.id, appAvailability.orgUnitId))
      .where(eq(appAvailability.appKey, row.appKey))
      .all()
      .map((a) => [a.path, a.on]),
  );
  const rules = { ...defaultRules };
  for (const [trigger, rule] of Object.entries(row.deprovisioning ?? {})) {
    rules[trigger as DeprovisionTrigger] = { delay: rule.delay as DeprovisionDelay, action: rule.action as DeprovisionAction };
  }
  const planConfiguration: Omit<PlanConfiguration, 'primaryDomain'> = {
    mapping: row.mapping,
    scope: scope.map((s) => ({ groupId: s.groupId, accessLevel: s.accessLevel })),
    accessLevels: entry?.accessLevels.map((l) => l.value) ?? [],
    defaultAccessLevel: entry?.defaultAccessLevel ?? '',
    rules,
  };
  return { row, planConfiguration, availability };
}

/** Runs `query` for all rows, or for the given user ids in chunks (SQLite caps bound parameters). */
function forUsers<T>(userIds: string[] | undefined, query: (only: string[] | null) => T[]): T[] {
  if (!userIds) return query(null);
  const rows: T[] = [];
  for (let i = 0; i < userIds.length; i += 500) rows.push(...query(userIds.slice(i, i + 500)));
  return rows;
}

export function countAccounts(db: AppDatabase, configurationId: string): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(provisionedAccounts)
      .where(and(eq(provisionedAccounts.configurationId, configurationId), isNotNull(provisionedAccounts.remoteId)))
      .get()?.n ?? 0
  );
}

/** A range of directory user ids (after, upTo], upTo null meaning "to the end": one page of a paged run. */
export interface UserIdRange {
  after: string;
  upTo: string | null;
}

const inRange = (column: typeof provisionedAccounts.directoryUserId | typeof deprovisionTimers.directoryUserId, range: UserIdRange) =>
  and(gt(column, range.after), range.upTo === null ? undefined : lte(column, range.upTo));

/** The links of one page of users (by id range): one query on the primary key, not an id list. */
export function loadAccountsInRange(db: AppDatabase, configurationId: string, range: UserIdRange): Map<string, ProvisionedAccount> {
  const rows = db
    .select()
    .from(provisionedAccounts)
    .where(and(eq(provisionedAccounts.configurationId, configurationId), isNotNull(provisionedAccounts.remoteId), inRange(provisionedAccounts.directoryUserId, range)))
    .all();
  return new Map(rows.map((r) => [r.directoryUserId, { directoryUserId: r.directoryUserId, remoteId: r.remoteId!, userName: r.userName, state: r.state, lastSent: r.lastSent }]));
}

export function loadTimersInRange(db: AppDatabase, configurationId: string, range: UserIdRange): Map<string, DeprovisionTimer> {
  const rows = db
    .select()
    .from(deprovisionTimers)
    .where(and(eq(deprovisionTimers.configurationId, configurationId), inRange(deprovisionTimers.directoryUserId, range)))
    .all();
  return new Map(rows.map((r) => [r.directoryUserId, { directoryUserId: r.directoryUserId, trigger: r.trigger, action: r.action, startedAt: r.createdAt, dueAt: r.dueAt }]));
}

export function loadAccounts(db: AppDatabase, configurationId: string, userIds?: string[]): Map<string, ProvisionedAccount> {
  const rows = forUsers(userIds, (only) =>
    db
      .select()
      .from(provisionedAccounts)
      .where(
        and(
          eq(provisionedAccounts.configurationId, configurationId),
          isNotNull(provisionedAccounts.remoteId),
          only ? inArray(provisionedAccounts.directoryUserId, only) : undefined,
        ),
      )
      .all(),
  );
  return new Map(
    rows.map((r) => [
      r.directoryUserId,
      { directoryUserId: r.directoryUserId, remoteId: r.remoteId!, userName: r.userName, state: r.state, lastSent: r.lastSent },
    ]),
  );
}

export function loadTimers(db: AppDatabase, configurationId: string, userIds?: string[]): Map<string, DeprovisionTimer> {
  const rows = forUsers(userIds, (only) =>
    db
      .select()
      .from(deprovisionTimers)
      .where(and(eq(deprovisionTimers.configurationId, configurationId), only ? inArray(deprovisionTimers.directoryUserId, only) : undefined))
      .all(),
  );
  return new Map(
    rows.map((r) => [r.directoryUserId, { directoryUserId: r.directoryUserId, trigger: r.trigger, action: r.action, startedAt: r.createdAt, dueAt: r.dueAt }]),
  );
}

export function createRun(db: AppDatabase, configurationId: string, trigger: SyncTrigger, dryRun: boolean, at: Date, subjectUserId: string | null = null) {
  const id = randomUUID();
  db.insert(syncRuns).values({ id, configurationId, trigger, dryRun, requestedAt: at, state: 'pending', subjectUserId }).run();
  return id;
}

export function updateRun(
  db: AppDatabase,
  runId: string,
  values: Partial<{ state: SyncRunState; startedAt: Date; endedAt: Date; counts: Record<string, number>; planned: number; done: number; error: string | null }>,
) {
  db.update(syncRuns).set(values).where(eq(syncRuns.id, runId)).run();
}

export interface ReportLine {
  directoryUserId: string;
  userEmail: string;
  action: string;
  result: 'succeeded' | 'failed' | 'planned';
  changes?: Record<string, FieldChange> | null;
  reason?: string | null;
}

/**
 * The statements written once per user of a run, prepared once per database: building and
 * compiling them for every row was most of a large first sync's CPU (see BENCHMARKS.md).
 */
function prepareWrites(db: AppDatabase) {
  const p = sql.placeholder;
  return {
    reportLine: db
      .insert(syncReportLines)
      .values({ runId: p('runId'), directoryUserId: p('directoryUserId'), userEmail: p('userEmail'), action: p('action'), result: p('result'), changes: p('changes'), reason: p('reason') })
      .prepare(),
    event: db
      .insert(usageEvents)
      .values({ occurredAt: p('at'), appKey: p('appKey'), kind: p('kind'), directoryUserId: p('directoryUserId'), userEmail: p('userEmail'), runId: p('runId'), detail: p('detail') })
      .prepare(),
    eventDay: db
      .insert(usageEventDays)
      .values({ day: p('day'), appKey: p('appKey'), kind: p('kind'), count: 1 })
      .onConflictDoUpdate({ target: [usageEventDays.day, usageEventDays.appKey, usageEventDays.kind], set: { count: sql`${usageEventDays.count} + 1` } })
      .prepare(),
  };
}
const preparedWrites = new WeakMap<AppDatabase, ReturnType<typeof prepareWrites>>();
function writes(db: AppDatabase) {
  let prepared = preparedWrites.get(db);
  if (!prepared) preparedWrites.set(db, (prepared = prepareWrites(db)));
  return prepared;
}

export function writeReportLine(db: AppDatabase, runId: string, line: ReportLine) {
  writes(db).reportLine.run({ runId, ...line, changes: line.changes ?? null, reason: line.reason ?? null });
}

/** A Failure event of a whole run (no user): it stopped, or was cut off by a restart. */
export function recordRunFailure(db: AppDatabase, configurationId: string, runId: string, reason: string, at: Date) {
  const config = db.select({ appKey: appConfigurations.appKey }).from(appConfigurations).where(eq(appConfigurations.id, configurationId)).get();
  if (!config) return;
  writeUsageEvent(db, { appKey: config.appKey, kind: 'failure', directoryUserId: null, userEmail: null, runId, detail: reason, at });
}

export function writeUsageEvent(
  db: AppDatabase,
  event: { appKey: string; kind: UsageEventKind; directoryUserId: string | null; userEmail: string | null; runId: string; detail?: string | null; at: Date },
) {
  const prepared = writes(db);
  prepared.event.run({
    at: event.at,
    appKey: event.appKey,
    kind: event.kind,
    directoryUserId: event.directoryUserId,
    userEmail: event.userEmail,
    runId: event.runId,
    detail: event.detail ?? null,
  });
  prepared.eventDay.run({ day: event.at.toISOString().slice(0, 10), appKey: event.appKey, kind: event.kind });
}

/** L-1: the usage log keeps 30 days; older events and their daily counts go. */
export function pruneUsageLog(db: AppDatabase, now: Date, keepDays = 30): number {
  // Whole days (UTC), so the daily counts and the events always agree.
  const firstDay = new Date(now.getTime() - (keepDays - 1) * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const cutoff = new Date(`${firstDay}T00:00:00.000Z`);
  return db.transaction((tx) => {
    const removed = tx.delete(usageEvents).where(lt(usageEvents.occurredAt, cutoff)).run().changes;
    tx.delete(usageEventDays).where(lt(usageEventDays.day, firstDay)).run();
    return removed;
  });
}

/**
 * L-2, L-3: a run and its report are kept 90 days. A run still pending, running or held stays
 * whatever its age (a held run waits for a super-admin, E-14).
 */
export function pruneSyncHistory(db: AppDatabase, now: Date, keepDays = 90): number {
  const cutoff = new Date(now.getTime() - keepDays * 24 * 60 * 60 * 1000);
  return db
    .delete(syncRuns)
    .where(and(lt(syncRuns.requestedAt, cutoff), inArray(syncRuns.state, ['succeeded', 'partly_failed', 'failed'])))
    .run().changes;
}
