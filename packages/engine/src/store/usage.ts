import { lt, sql } from 'drizzle-orm';
import { usageEventDays, usageEvents, type AppDatabase } from '@autoprov/db';
import type { UsageEventKind } from '@autoprov/contract';

export function writeUsageEvent(
  db: AppDatabase,
  event: { appKey: string; kind: UsageEventKind; directoryUserId: string | null; userEmail: string | null; runId: string; detail?: string | null; at: Date },
) {
  db.insert(usageEvents)
    .values({
      occurredAt: event.at,
      appKey: event.appKey,
      kind: event.kind,
      directoryUserId: event.directoryUserId,
      userEmail: event.userEmail,
      runId: event.runId,
      detail: event.detail ?? null,
    })
    .run();
  db.insert(usageEventDays)
    .values({ day: event.at.toISOString().slice(0, 10), appKey: event.appKey, kind: event.kind, count: 1 })
    .onConflictDoUpdate({ target: [usageEventDays.day, usageEventDays.appKey, usageEventDays.kind], set: { count: sql`${usageEventDays.count} + 1` } })
    .run();
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
