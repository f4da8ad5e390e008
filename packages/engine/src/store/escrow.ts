import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { configurationHealth, escrowedOperations, type AppDatabase } from '@autoprov/db';

/** E-16: one user's failed operation waiting in escrow. */
export type EscrowRow = typeof escrowedOperations.$inferSelect;
/** E-17: how an app has been answering lately. */
export type HealthRow = typeof configurationHealth.$inferSelect;

const ofUser = (configurationId: string, userId: string) =>
  and(eq(escrowedOperations.configurationId, configurationId), eq(escrowedOperations.directoryUserId, userId));

export function loadEscrowRow(db: AppDatabase, configurationId: string, userId: string): EscrowRow | null {
  return db.select().from(escrowedOperations).where(ofUser(configurationId, userId)).get() ?? null;
}

export function saveEscrowRow(db: AppDatabase, row: EscrowRow) {
  const { configurationId: _c, directoryUserId: _u, firstFailedAt: _f, ...changed } = row;
  db.insert(escrowedOperations)
    .values(row)
    .onConflictDoUpdate({ target: [escrowedOperations.configurationId, escrowedOperations.directoryUserId], set: changed })
    .run();
}

/** The users' pending work is done (or no longer needed): out of escrow. */
export function clearEscrow(db: AppDatabase, configurationId: string, userIds: string[]) {
  for (let i = 0; i < userIds.length; i += 500) {
    db.delete(escrowedOperations)
      .where(and(eq(escrowedOperations.configurationId, configurationId), inArray(escrowedOperations.directoryUserId, userIds.slice(i, i + 500))))
      .run();
  }
}

/** The escrowed operations of these users (all of them when `userIds` is missing). */
export function loadEscrow(db: AppDatabase, configurationId: string, userIds?: string[]): Map<string, EscrowRow> {
  const query = (only: string[] | null) =>
    db
      .select()
      .from(escrowedOperations)
      .where(and(eq(escrowedOperations.configurationId, configurationId), only ? inArray(escrowedOperations.directoryUserId, only) : undefined))
      .all();
  const rows: EscrowRow[] = [];
  if (!userIds) rows.push(...query(null));
  else for (let i = 0; i < userIds.length; i += 500) rows.push(...query(userIds.slice(i, i + 500)));
  return new Map(rows.map((r) => [r.directoryUserId, r]));
}

/** E-16: the users whose next attempt is due, soonest first, a bounded number per retry run. */
export function dueEscrowUsers(db: AppDatabase, configurationId: string, now: Date, limit = 500): string[] {
  return db
    .select({ userId: escrowedOperations.directoryUserId })
    .from(escrowedOperations)
    .where(and(eq(escrowedOperations.configurationId, configurationId), isNotNull(escrowedOperations.nextAttemptAt), lte(escrowedOperations.nextAttemptAt, now)))
    .orderBy(escrowedOperations.nextAttemptAt)
    .limit(limit)
    .all()
    .map((r) => r.userId);
}

/** Every user waiting for a transient retry, whatever its time (an app that came back). */
export function transientEscrowUsers(db: AppDatabase, configurationId: string): string[] {
  return db
    .select({ userId: escrowedOperations.directoryUserId })
    .from(escrowedOperations)
    .where(and(eq(escrowedOperations.configurationId, configurationId), eq(escrowedOperations.kind, 'transient')))
    .all()
    .map((r) => r.userId);
}

/** E-17: the app came back: every transient retry is due now. */
export function makeEscrowDue(db: AppDatabase, configurationId: string, now: Date) {
  db.update(escrowedOperations)
    .set({ nextAttemptAt: now })
    .where(and(eq(escrowedOperations.configurationId, configurationId), eq(escrowedOperations.kind, 'transient')))
    .run();
}

/** How many users wait, and the first few (due soonest; refusals last), for the app's page. */
export function escrowSummary(db: AppDatabase, configurationId: string, limit = 20): { total: number; items: EscrowRow[] } {
  const where = eq(escrowedOperations.configurationId, configurationId);
  const total = db.select({ n: sql<number>`count(*)` }).from(escrowedOperations).where(where).get()?.n ?? 0;
  const items = db
    .select()
    .from(escrowedOperations)
    .where(where)
    .orderBy(sql`${escrowedOperations.nextAttemptAt} is null`, escrowedOperations.nextAttemptAt, escrowedOperations.userEmail)
    .limit(limit)
    .all();
  return { total, items };
}

export function healthOf(db: AppDatabase, configurationId: string): HealthRow | null {
  return db.select().from(configurationHealth).where(eq(configurationHealth.configurationId, configurationId)).get() ?? null;
}

export function saveHealth(db: AppDatabase, configurationId: string, values: Partial<Omit<HealthRow, 'configurationId'>>) {
  db.insert(configurationHealth)
    .values({ configurationId, ...values })
    .onConflictDoUpdate({ target: configurationHealth.configurationId, set: values })
    .run();
}
