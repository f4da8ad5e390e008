import { and, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { usageEventKinds, type UsageEvent, type UsageEventKind, type UsageLogFilter, type UsageLogSummary } from '@autoprov/contract';
import { isPostgres, timeParam, usageEventDays, usageEvents, type AppDatabase } from '@autoprov/db';
import { decodeCursor, encodeCursor } from './cursor.js';

const dayMs = 24 * 60 * 60 * 1000;
/** L-1: what the log shows and keeps. */
export const usageLogDays = 30;

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** The days the filter covers, clamped to the last 30 (UTC). */
export function usageLogRange(filter: UsageLogFilter, now: Date): { from: string; to: string } {
  const oldest = dayOf(new Date(now.getTime() - (usageLogDays - 1) * dayMs));
  const today = dayOf(now);
  const from = filter.from && filter.from > oldest ? filter.from : oldest;
  const to = filter.to && filter.to < today ? filter.to : today;
  return { from, to };
}

/** Beyond this many users matching the user filter, reading in time order is the faster plan. */
const fewUsers = 50;

/**
 * The users whose address starts with the filter, when they are few: the page is then read
 * user by user through the (user_email, occurred_at) index. When many match, null: the events
 * are read in time order and most rows match anyway.
 */
async function matchingUsers(db: AppDatabase, prefix: string): Promise<string[] | null> {
  const emails = (await db
    .selectDistinct({ email: usageEvents.userEmail })
    .from(usageEvents)
    .where(and(gte(usageEvents.userEmail, prefix), lt(usageEvents.userEmail, `${prefix}\uffff`)))
    .limit(fewUsers + 1))
    .map((r) => r.email!);
  return emails.length > fewUsers ? null : emails;
}

async function conditions(db: AppDatabase, filter: UsageLogFilter, now: Date): Promise<SQL[]> {
  const { from, to } = usageLogRange(filter, now);
  const start = startOf(from).getTime();
  const end = startOf(to).getTime() + dayMs;
  const users = filter.user ? await matchingUsers(db, filter.user) : null;
  // The unary + keeps SQLite from choosing the time index over the user index here.
  const at = isPostgres(db) ? sql`${usageEvents.occurredAt}` : sql`+${usageEvents.occurredAt}`;
  const where: SQL[] = users
    ? [
        sql`${at} >= ${timeParam(db, new Date(start))}`,
        sql`${at} < ${timeParam(db, new Date(end))}`,
        users.length ? inArray(usageEvents.userEmail, users) : sql`1 = 0`,
      ]
    : [gte(usageEvents.occurredAt, new Date(start)), lt(usageEvents.occurredAt, new Date(end))];
  if (filter.kind) where.push(eq(usageEvents.kind, filter.kind));
  if (filter.app) where.push(eq(usageEvents.appKey, filter.app));
  if (filter.user && !users) where.push(gte(usageEvents.userEmail, filter.user), lt(usageEvents.userEmail, `${filter.user}\uffff`));
  return where;
}

type Row = typeof usageEvents.$inferSelect;

/** The filter's conditions, and "older than the last row read" when paging on. */
async function pageConditions(db: AppDatabase, filter: UsageLogFilter, now: Date, after: { at: number; id: number } | null): Promise<SQL[]> {
  const where = await conditions(db, filter, now);
  if (after) {
    const at = new Date(after.at);
    where.push(or(lt(usageEvents.occurredAt, at), and(eq(usageEvents.occurredAt, at), lt(usageEvents.id, after.id)))!);
  }
  return where;
}

async function pageRows(db: AppDatabase, filter: UsageLogFilter, now: Date, after: { at: number; id: number } | null, limit: number): Promise<Row[]> {
  const where = await pageConditions(db, filter, now, after);
  return await db
    .select()
    .from(usageEvents)
    .where(and(...where))
    .orderBy(desc(usageEvents.occurredAt), desc(usageEvents.id))
    .limit(limit);
}

export function usageEventView(row: Row, appName: (key: string) => string): UsageEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    appKey: row.appKey,
    appName: appName(row.appKey),
    kind: row.kind,
    userEmail: row.userEmail,
    runId: row.runId,
    detail: row.detail,
  };
}

/** L-1: one page, newest first. A later page costs what the first does (keyset, not OFFSET). */
export async function usageLogPage(db: AppDatabase, filter: UsageLogFilter, now: Date, cursor: string | undefined, pageSize: number, appName: (key: string) => string) {
  const rows = await pageRows(db, filter, now, decodeCursor<number>(cursor, 'number'), pageSize + 1);
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return {
    items: items.map((r) => usageEventView(r, appName)),
    nextCursor: rows.length > pageSize && last ? encodeCursor(last.occurredAt.getTime(), last.id) : null,
  };
}

/** One event as the CSV export reads it: plain values, no objects per row. */
export type UsageCsvRow = [id: number, occurredAtMs: number, appKey: string, kind: UsageEventKind, userEmail: string | null, runId: string | null, detail: string | null];

/**
 * Every event the filter selects, newest first, a page at a time (the CSV export). Rows come as
 * arrays: a million of them then cost little garbage, so the export's memory stays flat.
 */
export async function* usageLogRows(db: AppDatabase, filter: UsageLogFilter, now: Date, batch = 1000): AsyncGenerator<UsageCsvRow[]> {
  let after: { at: number; id: number } | null = null;
  for (;;) {
    const where = await pageConditions(db, filter, now, after);
    const query = db
      .select({
        id: usageEvents.id,
        at: isPostgres(db) ? sql<number>`(extract(epoch from ${usageEvents.occurredAt}) * 1000)::float8`.mapWith(Number) : sql<number>`${usageEvents.occurredAt}`,
        appKey: usageEvents.appKey,
        kind: usageEvents.kind,
        userEmail: usageEvents.userEmail,
        runId: usageEvents.runId,
        detail: usageEvents.detail,
      })
      .from(usageEvents)
      .where(and(...where))
      .orderBy(desc(usageEvents.occurredAt), desc(usageEvents.id))
      .limit(batch);
    // PostgreSQL's driver has no array rows; there the objects are turned into them.
    const rows: UsageCsvRow[] = isPostgres(db)
      ? (await query).map((r) => [r.id, r.at, r.appKey, r.kind, r.userEmail, r.runId, r.detail])
      : (query.values() as UsageCsvRow[]);
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1)!;
    after = { at: last[1], id: last[0] };
    if (rows.length < batch) return;
  }
}

const zeroCounts = () => Object.fromEntries(usageEventKinds.map((k) => [k, 0])) as Record<UsageEventKind, number>;

/**
 * L-1: counts per event and events per day. Without a user filter they come from the daily
 * counts; with one, from that user's events (few, and indexed).
 */
export async function usageLogSummary(db: AppDatabase, filter: UsageLogFilter, now: Date): Promise<UsageLogSummary> {
  const { from, to } = usageLogRange(filter, now);
  let rows: { day: string; kind: UsageEventKind; n: number }[];
  if (filter.user) {
    const dayExpr = isPostgres(db)
      ? sql<string>`to_char(${usageEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD')`
      : sql<string>`strftime('%Y-%m-%d', ${usageEvents.occurredAt} / 1000, 'unixepoch')`;
    rows = await db
      .select({ day: dayExpr, kind: usageEvents.kind, n: sql<number>`count(*)`.mapWith(Number) })
      .from(usageEvents)
      .where(and(...await conditions(db, filter, now)))
      .groupBy(dayExpr, usageEvents.kind);
  } else {
    const where: SQL[] = [gte(usageEventDays.day, from), lte(usageEventDays.day, to)];
    if (filter.kind) where.push(eq(usageEventDays.kind, filter.kind));
    if (filter.app) where.push(eq(usageEventDays.appKey, filter.app));
    rows = await db
      .select({ day: usageEventDays.day, kind: usageEventDays.kind, n: sql<number>`sum(${usageEventDays.count})`.mapWith(Number) })
      .from(usageEventDays)
      .where(and(...where))
      .groupBy(usageEventDays.day, usageEventDays.kind);
  }
  const counts = zeroCounts();
  const byDay = new Map<string, Record<UsageEventKind, number>>();
  for (let t = startOf(from).getTime(); t <= startOf(to).getTime(); t += dayMs) byDay.set(dayOf(new Date(t)), zeroCounts());
  for (const r of rows) {
    counts[r.kind] += r.n;
    const d = byDay.get(r.day);
    if (d) d[r.kind] += r.n;
  }
  return { counts, perDay: [...byDay].map(([day, c]) => ({ day, counts: c })), from, to };
}
