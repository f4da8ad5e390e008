import { desc, eq } from 'drizzle-orm';
import type { AppDetail } from '@autoprov/contract';
import { configurationAudit, type AppDatabase, type DbOrTx } from '@autoprov/db';
import type { Actor } from '@autoprov/directory';

/**
 * L-6: who changed what in an app's settings, and when. Written in the same transaction as the
 * change it records; depends on nothing of the server, so any module may record into it.
 */
export async function audit(db: DbOrTx, at: Date, appKey: string, actor: Actor, action: string, detail?: string) {
  await db.insert(configurationAudit).values({ appKey, adminLabel: actor.label, action, detail: detail ?? null, at });
}

/** L-6: the app's latest changes, newest first, as the app's page lists them. */
export async function auditTrailOf(db: AppDatabase, appKey: string, limit = 50): Promise<AppDetail['audit']> {
  return (await db
    .select()
    .from(configurationAudit)
    .where(eq(configurationAudit.appKey, appKey))
    .orderBy(desc(configurationAudit.at), desc(configurationAudit.id))
    .limit(limit))
    .map((a) => ({ id: a.id, adminLabel: a.adminLabel, action: a.action, detail: a.detail, at: a.at.toISOString() }));
}
