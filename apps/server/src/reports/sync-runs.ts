import { and, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { AppError, reportField, type CatalogEntry, type ReportFilter, type ReportLine } from '@autoprov/contract';
import { contains, syncReportLines, syncRuns, type AppDatabase, type SyncRunRow } from '@autoprov/db';
import { runOf, runView } from '../provisioning/views.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** L-2: the runs of one app, newest first. */
export async function syncRunPage(db: AppDatabase, configurationId: string, cursor: string | undefined, pageSize: number) {
  const after = decodeCursor<string>(cursor, 'string');
  const where: SQL[] = [eq(syncRuns.configurationId, configurationId)];
  if (after) {
    const at = new Date(after.at);
    where.push(or(lt(syncRuns.requestedAt, at), and(eq(syncRuns.requestedAt, at), lt(syncRuns.id, after.id)))!);
  }
  const rows = await db
    .select()
    .from(syncRuns)
    .where(and(...where))
    .orderBy(desc(syncRuns.requestedAt), desc(syncRuns.id))
    .limit(pageSize + 1);
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return { items: items.map(runView), nextCursor: rows.length > pageSize && last ? encodeCursor(last.requestedAt.getTime(), last.id) : null };
}

/** L-3: a report opens only when its run is over. */
export async function finishedRun(db: AppDatabase, configurationId: string, runId: string) {
  const run = await runOf(db, configurationId, runId);
  if (run.state === 'pending' || run.state === 'running') {
    throw new AppError('conflict', `This sync is ${run.state === 'pending' ? 'waiting to start' : 'still running'}: its report opens when it ends.`);
  }
  return run;
}

type LineRow = typeof syncReportLines.$inferSelect;

/** Where a page starts: after or before one line, by the report's order (user e-mail, then id). */
interface LineKey {
  direction: 'after' | 'before';
  email: string;
  id: number;
}

const encodeLineKey = (k: LineKey) => Buffer.from(JSON.stringify([k.direction, k.email, k.id])).toString('base64url');

function decodeLineKey(cursor: string | undefined): LineKey | null {
  if (!cursor) return null;
  try {
    const [direction, email, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown, unknown];
    if ((direction === 'after' || direction === 'before') && typeof email === 'string' && typeof id === 'number') return { direction, email, id };
  } catch {
    // falls through to the refusal
  }
  throw new AppError('validation_failed', 'This page link is no longer valid: go back to the first page.', { cursor: 'Invalid cursor' });
}

function filterConditions(runId: string, filter: ReportFilter): SQL[] {
  const where: SQL[] = [eq(syncReportLines.runId, runId)];
  if (filter.result) where.push(eq(syncReportLines.result, filter.result));
  if (filter.action) where.push(eq(syncReportLines.action, filter.action));
  if (filter.user) where.push(contains(syncReportLines.userEmail, filter.user));
  return where;
}

/** Lines strictly after (or before) a key, in the report's order. */
function beyond(key: { email: string; id: number }, direction: 'after' | 'before'): SQL {
  const cmp = direction === 'after' ? gt : lt;
  return or(cmp(syncReportLines.userEmail, key.email), and(eq(syncReportLines.userEmail, key.email), cmp(syncReportLines.id, key.id)))!;
}

async function lineRows(db: AppDatabase, runId: string, filter: ReportFilter, from: LineKey | null, limit: number): Promise<LineRow[]> {
  const where = filterConditions(runId, filter);
  if (from) where.push(beyond(from, from.direction));
  const backwards = from?.direction === 'before';
  const rows = await db
    .select()
    .from(syncReportLines)
    .where(and(...where))
    .orderBy(...(backwards ? [desc(syncReportLines.userEmail), desc(syncReportLines.id)] : [syncReportLines.userEmail, syncReportLines.id]))
    .limit(limit);
  return rows;
}

async function countWhere(db: AppDatabase, where: SQL[]): Promise<number> {
  return (await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(syncReportLines)
    .where(and(...where)).limit(1))[0]!.n;
}

export const lineView = (r: LineRow): ReportLine => ({
  id: r.id,
  userEmail: r.userEmail,
  action: r.action,
  result: r.result,
  changes: r.changes,
  reason: r.reason,
  attempt: r.attempt,
  nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
});

/**
 * L-3: one page of a report. A page is named by the line it starts after (or ends before), so
 * a page link survives reloads and costs what the first page does.
 */
export async function reportPage(db: AppDatabase, run: SyncRunRow, filter: ReportFilter, cursor: string | undefined, pageSize: number) {
  const from = decodeLineKey(cursor);
  const rows = await lineRows(db, run.id, filter, from, pageSize + 1);
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (from?.direction === 'before') page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const base = filterConditions(run.id, filter);
  const offset = first ? await countWhere(db, [...base, beyond({ email: first.userEmail, id: first.id }, 'before')]) : 0;
  const matching = await countWhere(db, base);
  const hasNext = from?.direction === 'before' ? Boolean(last) && await countWhere(db, [...base, beyond({ email: last!.userEmail, id: last!.id }, 'after')]) > 0 : more;
  const hasPrev = from?.direction === 'before' ? more : offset > 0;
  const totals = Object.fromEntries(
    (await db
      .select({ result: syncReportLines.result, n: sql<number>`count(*)`.mapWith(Number) })
      .from(syncReportLines)
      .where(eq(syncReportLines.runId, run.id))
      .groupBy(syncReportLines.result))
      .map((t) => [t.result, t.n]),
  );
  return {
    run: runView(run),
    items: page.map(lineView),
    nextCursor: hasNext && last ? encodeLineKey({ direction: 'after', email: last.userEmail, id: last.id }) : null,
    prevCursor: hasPrev && first ? encodeLineKey({ direction: 'before', email: first.userEmail, id: first.id }) : null,
    matching,
    offset,
    totals,
  };
}

/** Every line the filter selects, in the report's order, a batch at a time (the CSV export). */
export async function* reportRows(db: AppDatabase, runId: string, filter: ReportFilter, batch = 1000): AsyncGenerator<LineRow[]> {
  let from: LineKey | null = null;
  for (;;) {
    const rows = await lineRows(db, runId, filter, from, batch);
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1)!;
    from = { direction: 'after', email: last.userEmail, id: last.id };
    if (rows.length < batch) return;
  }
}

/** "Label (path): before → after; …" for one cell of the CSV, in the report page's words. */
export function changesText(changes: ReportLine['changes'], entry: CatalogEntry | undefined): string {
  if (!changes) return '';
  // In the catalog's order: PostgreSQL's jsonb keeps keys in an order of its own.
  const rank = (field: string) => {
    const i = entry?.attributes.findIndex((a) => a.path === field) ?? -1;
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return Object.entries(changes)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([field, c]) => {
      const f = reportField(entry, field);
      return `${f.label}${f.path ? ` (${f.path})` : ''}: ${f.value(c.before) ?? '∅'} → ${f.value(c.after) ?? '∅'}`;
    })
    .join('; ');
}
