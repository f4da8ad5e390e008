import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { appConfigurations, runExchanges, syncReportLines, syncRuns, type AppDatabase } from '@autoprov/db';
import type { SyncRunState, SyncTrigger } from '@autoprov/contract';
import type { FieldChange } from '../model.js';
import { writeUsageEvent } from './usage.js';
import { preparedPerDatabase, raw } from './prepared.js';

export type RunRow = typeof syncRuns.$inferSelect;

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

/** A change-driven run of the app that has not started yet (one is enough, E-11). */
export function waitingChangeRun(db: AppDatabase, configurationId: string): string | null {
  const row = db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, configurationId), eq(syncRuns.state, 'pending'), eq(syncRuns.dryRun, false)))
    .get();
  return row?.id ?? null;
}

/** Whether a run of the app is going on or waiting (E-12). */
export function hasRunInProgress(db: AppDatabase, configurationId: string): boolean {
  return (
    db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.configurationId, configurationId), inArray(syncRuns.state, ['pending', 'running'])))
      .get() !== undefined
  );
}

/** The app's oldest run waiting to start (E-12: they run one after another). */
export function nextPendingRun(db: AppDatabase, configurationId: string): RunRow | undefined {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, configurationId), eq(syncRuns.state, 'pending')))
    .orderBy(syncRuns.requestedAt)
    .get();
}

/** Runs marked running: at start-up, the ones a previous process was cut off in (E-10). */
export function runningRuns(db: AppDatabase): RunRow[] {
  return db.select().from(syncRuns).where(eq(syncRuns.state, 'running')).all();
}

/** The configurations with a run waiting to start. */
export function configurationsWithPendingRuns(db: AppDatabase): string[] {
  return db
    .selectDistinct({ id: syncRuns.configurationId })
    .from(syncRuns)
    .where(eq(syncRuns.state, 'pending'))
    .all()
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

export function writeReportLine(db: AppDatabase, runId: string, line: ReportLine) {
  reportLineInsert(db).run({
    runId,
    directoryUserId: line.directoryUserId,
    userEmail: line.userEmail,
    action: line.action,
    result: line.result,
    changes: line.changes == null ? null : JSON.stringify(line.changes),
    reason: line.reason ?? null,
    attempt: line.attempt ?? null,
    nextAttemptAt: line.nextAttemptAt?.getTime() ?? null,
  });
}

/** Many lines in one transaction (E-19 lists every account not managed by autoprov). */
export function writeReportLines(db: AppDatabase, runId: string, lines: ReportLine[]) {
  db.transaction(() => {
    for (const line of lines) writeReportLine(db, runId, line);
  });
}

/** A Failure event of a whole run (no user): it stopped, or was cut off by a restart. */
export function recordRunFailure(db: AppDatabase, configurationId: string, runId: string, reason: string, at: Date) {
  const config = db.select({ appKey: appConfigurations.appKey }).from(appConfigurations).where(eq(appConfigurations.id, configurationId)).get();
  if (!config) return;
  writeUsageEvent(db, { appKey: config.appKey, kind: 'failure', directoryUserId: null, userEmail: null, runId, detail: reason, at });
}

/** E-20: one SCIM request and its answer, as kept with the run (already masked). */
export type RunExchange = Omit<typeof runExchanges.$inferInsert, 'id'>;

export function writeExchange(db: AppDatabase, exchange: RunExchange) {
  db.insert(runExchanges).values(exchange).run();
}

/** The kept exchanges of a run, in the order they happened. */
export function loadRunExchanges(db: AppDatabase, runId: string) {
  return db.select().from(runExchanges).where(eq(runExchanges.runId, runId)).orderBy(asc(runExchanges.seq)).all();
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
