import { and, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { AppError, type ReportFilter, type ReportLine } from '@autoprov/contract';
import { syncReportLines, syncRuns, type AppDatabase } from '@autoprov/db';
import { runOf, runView } from '../provisioning/configurations.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** L-2: the runs of one app, newest first. */
export function syncRunPage(db: AppDatabase, configurationId: string, cursor: string | undefined, pageSize: number) {
  const after = decodeCursor<string>(cursor, 'string');
  const where: SQL[] = [eq(syncRuns.configurationId, configurationId)];
  if (after) {
    const at = new Date(after.at);
    where.push(or(lt(syncRuns.requestedAt, at), and(eq(syncRuns.requestedAt, at), lt(syncRuns.id, after.id)))!);
  }
  const rows = db
    .select()
    .from(syncRuns)
    .where(and(...where))
    .orderBy(desc(syncRuns.requestedAt), desc(syncRuns.id))
    .limit(pageSize + 1)
    .all();
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return { items: items.map(runView), nextCursor: rows.length > pageSize && last ? encodeCursor(last.requestedAt.getTime(), last.id) : null };
}

/** L-3: a report opens only when its run is over. */
export function finishedRun(db: AppDatabase, configurationId: string, runId: string) {
  const run = runOf(db, configurationId, runId);
  if (run.state === 'pending' || run.state === 'running') {
    throw new AppError('conflict', `This sync is ${run.state === 'pending' ? 'waiting to start' : 'still running'}: its report opens when it ends.`);
  }
  return run;
}

type LineRow = typeof syncReportLines.$inferSelect;

function lineRows(db: AppDatabase, runId: string, filter: ReportFilter, afterId: number | null, limit: number): LineRow[] {
  const where: SQL[] = [eq(syncReportLines.runId, runId)];
  if (filter.result) where.push(eq(syncReportLines.result, filter.result));
  if (filter.action) where.push(eq(syncReportLines.action, filter.action));
  if (afterId !== null) where.push(gt(syncReportLines.id, afterId));
  return db
    .select()
    .from(syncReportLines)
    .where(and(...where))
    .orderBy(syncReportLines.id)
    .limit(limit)
    .all();
}

export const lineView = (r: LineRow): ReportLine => ({ id: r.id, userEmail: r.userEmail, action: r.action, result: r.result, changes: r.changes, reason: r.reason });

export function reportPage(db: AppDatabase, run: typeof syncRuns.$inferSelect, filter: ReportFilter, cursor: string | undefined, pageSize: number) {
  const after = decodeCursor<number>(cursor, 'number');
  const rows = lineRows(db, run.id, filter, after?.id ?? null, pageSize + 1);
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  const totals = Object.fromEntries(
    db
      .select({ result: syncReportLines.result, n: sql<number>`count(*)` })
      .from(syncReportLines)
      .where(eq(syncReportLines.runId, run.id))
      .groupBy(syncReportLines.result)
      .all()
      .map((t) => [t.result, t.n]),
  );
  return { run: runView(run), items: items.map(lineView), nextCursor: rows.length > pageSize && last ? encodeCursor(0, last.id) : null, totals };
}

export function* reportRows(db: AppDatabase, runId: string, filter: ReportFilter, batch = 1000): Generator<LineRow[]> {
  let after: number | null = null;
  for (;;) {
    const rows = lineRows(db, runId, filter, after, batch);
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)!.id;
    if (rows.length < batch) return;
  }
}

/** "name: before → after; …" for one cell of the CSV. */
export function changesText(changes: ReportLine['changes']): string {
  if (!changes) return '';
  return Object.entries(changes)
    .map(([field, c]) => `${field}: ${c.before ?? '∅'} → ${c.after ?? '∅'}`)
    .join('; ');
}
