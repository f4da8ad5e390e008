import { desc, sql } from 'drizzle-orm';
import type { DirectoryChange, DirectoryChangeAction, DirectoryEntityKind, Page } from '@autoprov/contract';
import { directoryChanges, type DbOrTx } from '@autoprov/db';
import type { Actor } from './actor.js';
import { offsetOf } from './search.js';

export interface ChangeRecord {
  entityKind: DirectoryEntityKind;
  entityId: string;
  action: DirectoryChangeAction;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** Appends a change record; call it in the same transaction as the change itself. */
export async function recordChange(db: DbOrTx, actor: Actor, at: Date, change: ChangeRecord): Promise<void> {
  await db.insert(directoryChanges)
    .values({
      occurredAt: at,
      actorAdminId: actor.adminId,
      actorLabel: actor.label,
      entityKind: change.entityKind,
      entityId: change.entityId,
      action: change.action,
      summary: change.summary,
      before: change.before ?? null,
      after: change.after ?? null,
    });
}

export async function listChanges(db: DbOrTx, page: number, pageSize: number): Promise<Page<DirectoryChange>> {
  const total = (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(directoryChanges).limit(1))[0]?.n ?? 0;
  const rows = await db
    .select()
    .from(directoryChanges)
    .orderBy(desc(directoryChanges.id))
    .limit(pageSize)
    .offset(offsetOf(page, pageSize));
  return {
    items: rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      actorLabel: r.actorLabel,
      entityKind: r.entityKind,
      entityId: r.entityId,
      action: r.action,
      summary: r.summary,
    })),
    total,
    page,
    pageSize,
  };
}

/** Changes after `cursor` (a change id), oldest first: how the engine follows the directory. */
export async function changesSince(db: DbOrTx, cursor: number, limit = 1000) {
  return await db
    .select()
    .from(directoryChanges)
    .where(sql`${directoryChanges.id} > ${cursor}`)
    .orderBy(directoryChanges.id)
    .limit(limit);
}
