import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { appConfigurations, runExchanges, syncReportLines, syncRuns, type AppDatabase, affectedRows, timeParam, transaction } from '@autoprov/db';
import type { SyncRunState, SyncTrigger } from '@autoprov/contract';
import type { FieldChange } from '../model.js';
import { writeUsageEvent } from './usage.js';
import { preparedPerDatabase, raw } from './prepared.js';

export type RunRow = typeof syncRuns.$inferSelect;

export async function createRun(db: AppDatabase, configurationId: string, trigger: SyncTrigger, dryRun: boolean, at: Date, subjectUserId: string | null = null) {
  const id = randomUUID();
  await db.insert(syncRuns).values({ id, configurationId, trigger, dryRun, requestedAt: at, state: 'pending', subjectUserId });
  return id;
}

export async function updateRun(
  db: AppDatabase,
  runId: string,
  values: Partial<{ state: SyncRunState; startedAt: Date; endedAt: Date; counts: Record<string, number>; planned: number; done: number; error: string | null }>,
) {
  await db.update(syncRuns).set(values).where(eq(syncRuns.id, runId));
}

/** A change-driven run of the app that has not started yet (one is enough, E-11). */
export async function waitingChangeRun(db: AppDatabase, configurationId: string): Promise<string | null> {
  const row = (await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, configurationId), eq(syncRuns.state, 'pending'), eq(syncRuns.dryRun, false))).limit(1))[0];
  return row?.id ?? null;
}

/** Whether a run of the app is going on or waiting (E-12). */
export async function hasRunInProgress(db: AppDatabase, configurationId: string): Promise<boolean> {
  return (
    (await db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.configurationId, configurationId), inArray(syncRuns.state, ['pending', 'running']))).limit(1))[0] !== undefined
  );
}

/** The app's oldest run waiting to start (E-12: they run one after another). */
export async function nextPendingRun(db: AppDatabase, configurationId: string): Promise<RunRow | undefined> {
  return (await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, configurationId), eq(syncRuns.state, 'pending')))
    .orderBy(syncRuns.requestedAt).limit(1))[0];
}

/** Runs marked running: at start-up, the ones a previous process was cut off in (E-10). */
export async function runningRuns(db: AppDatabase): Promise<RunRow[]> {
  return await db.select().from(syncRuns).where(eq(syncRuns.state, 'running'));
}

/** The configurations with a run waiting to start. */
export async function configurationsWithPendingRuns(db: AppDatabase): Promise<string[]> {
  return (await db
    .selectDistinct({ id: syncRuns.configurationId })
    .from(syncRuns)
    .where(eq(syncRuns.state, 'pending')))
    .map((r) => r.id);
}

export interface ReportLine {
  directoryUserId: string;
  userEmail: string;
  action: string;
  result: 'succeeded' | 'failed' | 'planned' | 'reported';
  changes?: Record<string, FieldChange> | null;
  reason?: string | null;
  /** E-16: a failed operation's attempt number and when it is tried again. */
  attempt?: number | null;
  nextAttemptAt?: Date | null;
}

const reportLineInsert = preparedPerDatabase((db) => {
  const p = sql.placeholder;
  return db
    .insert(syncReportLines)
    .values({
      runId: p('runId'),
      directoryUserId: p('directoryUserId'),
      userEmail: p('userEmail'),
      action: p('action'),
      result: p('result'),
      changes: raw('changes'),
      reason: p('reason'),
      attempt: p('attempt'),
      nextAttemptAt: raw('nextAttemptAt'),
    })
    .prepare();
});

export async function writeReportLine(db: AppDatabase, runId: string, line: ReportLine) {
  await reportLineInsert(db).execute({
    runId,
    directoryUserId: line.directoryUserId,
    userEmail: line.userEmail,
    action: line.action,
    result: line.result,
    changes: line.changes == null ? null : JSON.stringify(line.changes),
    reason: line.reason ?? null,
    attempt: line.attempt ?? null,
    nextAttemptAt: line.nextAttemptAt ? timeParam(db, line.nextAttemptAt) : null,
  });
}

/** Many lines in one transaction (E-19 lists every account not managed by autoprov). */
export async function writeReportLines(db: AppDatabase, runId: string, lines: ReportLine[]) {
  await transaction(db, async (tx) => {
    for (const line of lines) await writeReportLine(tx, runId, line);
  });
}

/** A Failure event of a whole run (no user): it stopped, or was cut off by a restart. */
export async function recordRunFailure(db: AppDatabase, configurationId: string, runId: string, reason: string, at: Date) {
  const config = (await db.select({ appKey: appConfigurations.appKey }).from(appConfigurations).where(eq(appConfigurations.id, configurationId)).limit(1))[0];
  if (!config) return;
  await writeUsageEvent(db, { appKey: config.appKey, kind: 'failure', directoryUserId: null, userEmail: null, runId, detail: reason, at });
}

/** E-20: one SCIM request and its answer, as kept with the run (already masked). */
export type RunExchange = Omit<typeof runExchanges.$inferInsert, 'id'>;

export async function writeExchange(db: AppDatabase, exchange: RunExchange) {
  await db.insert(runExchanges).values(exchange);
}

/** The kept exchanges of a run, in the order they happened. */
export async function loadRunExchanges(db: AppDatabase, runId: string) {
  return await db.select().from(runExchanges).where(eq(runExchanges.runId, runId)).orderBy(asc(runExchanges.seq));
}

/**
 * L-2, L-3: a run and its report are kept 90 days. A run still pending, running or held stays
 * whatever its age (a held run waits for a super-admin, E-14).
 */
export async function pruneSyncHistory(db: AppDatabase, now: Date, keepDays = 90): Promise<number> {
  const cutoff = new Date(now.getTime() - keepDays * 24 * 60 * 60 * 1000);
  return affectedRows(await db
    .delete(syncRuns)
    .where(and(lt(syncRuns.requestedAt, cutoff), inArray(syncRuns.state, ['succeeded', 'partly_failed', 'failed']))));
}
