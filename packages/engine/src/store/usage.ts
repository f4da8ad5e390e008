import { lt, sql } from 'drizzle-orm';
import { usageEventDays, usageEvents, type AppDatabase, affectedRows, transaction } from '@autoprov/db';
import type { UsageEventKind } from '@autoprov/contract';
import { preparedPerDatabase } from './prepared.js';

const eventInserts = preparedPerDatabase((db) => {
  const p = sql.placeholder;
  return {
    event: db
      .insert(usageEvents)
      .values({ occurredAt: p('at'), appKey: p('appKey'), kind: p('kind'), directoryUserId: p('directoryUserId'), userEmail: p('userEmail'), runId: p('runId'), detail: p('detail') })
      .prepare(),
    day: db
      .insert(usageEventDays)
      .values({ day: p('day'), appKey: p('appKey'), kind: p('kind'), count: 1 })
      .onConflictDoUpdate({ target: [usageEventDays.day, usageEventDays.appKey, usageEventDays.kind], set: { count: sql`${usageEventDays.count} + 1` } })
      .prepare(),
  };
});

export async function writeUsageEvent(
  db: AppDatabase,
  event: { appKey: string; kind: UsageEventKind; directoryUserId: string | null; userEmail: string | null; runId: string; detail?: string | null; at: Date },
) {
  const prepared = eventInserts(db);
  await prepared.event.execute({
    at: event.at,
    appKey: event.appKey,
    kind: event.kind,
    directoryUserId: event.directoryUserId,
    userEmail: event.userEmail,
    runId: event.runId,
    detail: event.detail ?? null,
  });
  await prepared.day.execute({ day: event.at.toISOString().slice(0, 10), appKey: event.appKey, kind: event.kind });
}

/** L-1: the usage log keeps 30 days; older events and their daily counts go. */
export async function pruneUsageLog(db: AppDatabase, now: Date, keepDays = 30): Promise<number> {
  // Whole days (UTC), so the daily counts and the events always agree.
  const firstDay = new Date(now.getTime() - (keepDays - 1) * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const cutoff = new Date(`${firstDay}T00:00:00.000Z`);
  return await transaction(db, async (tx) => {
    const removed = affectedRows(await tx.delete(usageEvents).where(lt(usageEvents.occurredAt, cutoff)));
    await tx.delete(usageEventDays).where(lt(usageEventDays.day, firstDay));
    return removed;
  });
}
