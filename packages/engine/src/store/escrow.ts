import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { configurationHealth, escrowedOperations, type AppDatabase } from '@autoprov/db';

/** E-16: one user's failed operation waiting in escrow. */
export type EscrowRow = typeof escrowedOperations.$inferSelect;
/** E-17: how an app has been answering lately. */
export type HealthRow = typeof configurationHealth.$inferSelect;

const ofUser = (configurationId: string, userId: string) =>
  and(eq(escrowedOperations.configurationId, configurationId), eq(escrowedOperations.directoryUserId, userId));

export async function loadEscrowRow(db: AppDatabase, configurationId: string, userId: string): Promise<EscrowRow | null> {
  return (await db.select().from(escrowedOperations).where(ofUser(configurationId, userId)).limit(1))[0] ?? null;
}

export async function saveEscrowRow(db: AppDatabase, row: EscrowRow) {
  const { configurationId: _c, directoryUserId: _u, firstFailedAt: _f, ...changed } = row;
  await db.insert(escrowedOperations)
    .values(row)
    .onConflictDoUpdate({ target: [escrowedOperations.configurationId, escrowedOperations.directoryUserId], set: changed });
}

/** The users' pending work is done (or no longer needed): out of escrow. */
export async function clearEscrow(db: AppDatabase, configurationId: string, userIds: string[]) {
  for (let i = 0; i < userIds.length; i += 500) {
    await db.delete(escrowedOperations)
      .where(and(eq(escrowedOperations.configurationId, configurationId), inArray(escrowedOperations.directoryUserId, userIds.slice(i, i + 500))));
  }
}

/** The escrowed operations of these users (all of them when `userIds` is missing). */
export async function loadEscrow(db: AppDatabase, configurationId: string, userIds?: string[]): Promise<Map<string, EscrowRow>> {
  const query = async (only: string[] | null) =>
    await db
      .select()
      .from(escrowedOperations)
      .where(and(eq(escrowedOperations.configurationId, configurationId), only ? inArray(escrowedOperations.directoryUserId, only) : undefined));
  const rows: EscrowRow[] = [];
  if (!userIds) rows.push(...await query(null));
  else for (let i = 0; i < userIds.length; i += 500) rows.push(...await query(userIds.slice(i, i + 500)));
  return new Map(rows.map((r) => [r.directoryUserId, r]));
}

/** E-16: the users whose next attempt is due, soonest first, a bounded number per retry run. */
export async function dueEscrowUsers(db: AppDatabase, configurationId: string, now: Date, limit = 500): Promise<string[]> {
  return (await db
    .select({ userId: escrowedOperations.directoryUserId })
    .from(escrowedOperations)
    .where(and(eq(escrowedOperations.configurationId, configurationId), isNotNull(escrowedOperations.nextAttemptAt), lte(escrowedOperations.nextAttemptAt, now)))
    .orderBy(escrowedOperations.nextAttemptAt)
    .limit(limit))
    .map((r) => r.userId);
}

/** Every user waiting for a transient retry, whatever its time (an app that came back). */
export async function transientEscrowUsers(db: AppDatabase, configurationId: string): Promise<string[]> {
  return (await db
    .select({ userId: escrowedOperations.directoryUserId })
    .from(escrowedOperations)
    .where(and(eq(escrowedOperations.configurationId, configurationId), eq(escrowedOperations.kind, 'transient'))))
    .map((r) => r.userId);
}

/** E-17: the app came back: every transient retry is due now. */
export async function makeEscrowDue(db: AppDatabase, configurationId: string, now: Date) {
  await db.update(escrowedOperations)
    .set({ nextAttemptAt: now })
    .where(and(eq(escrowedOperations.configurationId, configurationId), eq(escrowedOperations.kind, 'transient')));
}

/** How many users wait, and the first few (due soonest; refusals last), for the app's page. */
export async function escrowSummary(db: AppDatabase, configurationId: string, limit = 20): Promise<{ total: number; items: EscrowRow[] }> {
  const where = eq(escrowedOperations.configurationId, configurationId);
  const total = (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(escrowedOperations).where(where).limit(1))[0]?.n ?? 0;
  const items = await db
    .select()
    .from(escrowedOperations)
    .where(where)
    .orderBy(sql`${escrowedOperations.nextAttemptAt} is null`, escrowedOperations.nextAttemptAt, escrowedOperations.userEmail)
    .limit(limit);
  return { total, items };
}

export async function healthOf(db: AppDatabase, configurationId: string): Promise<HealthRow | null> {
  return (await db.select().from(configurationHealth).where(eq(configurationHealth.configurationId, configurationId)).limit(1))[0] ?? null;
}

export async function saveHealth(db: AppDatabase, configurationId: string, values: Partial<Omit<HealthRow, 'configurationId'>>) {
  await db.insert(configurationHealth)
    .values({ configurationId, ...values })
    .onConflictDoUpdate({ target: configurationHealth.configurationId, set: values });
}
