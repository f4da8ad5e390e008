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
export function recordChange(db: DbOrTx, actor: Actor, at: Date, change: ChangeRecord): void {
  db.insert(directoryChanges)
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
    })
    .run();
}

export function listChanges(db: DbOrTx, page: number, pageSize: number): Page<DirectoryChange> {
  const total = db.select({ n: sql<number>`count(*)` }).from(directoryChanges).get()?.n ?? 0;
  const rows = db
    .select()
    .from(directoryChanges)
    .orderBy(desc(directoryChanges.id))
    .limit(pageSize)
    .offset(offsetOf(page, pageSize))
    .all();
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
export function changesSince(db: DbOrTx, cursor: number, limit = 1000) {
  return db
    .select()
    .from(directoryChanges)
    .where(sql`${directoryChanges.id} > ${cursor}`)
    .orderBy(directoryChanges.id)
    .limit(limit)
    .all();
}
