import { and, asc, eq, sql } from 'drizzle-orm';
import { defaultDeprovisioning, type CatalogEntry } from '@autoprov/contract';
import { directoryUsers, domains } from '@autoprov/db';
import { readSnapshotOf } from '@autoprov/directory';
import { desiredAttributes, type DirectoryUserView } from '@autoprov/engine';
import type { ServerDeps } from '../deps.js';

/** W-4: what one real directory user (an active one in the primary domain) would become. */
export async function mappingPreview(deps: Pick<ServerDeps, 'db'>, entry: CatalogEntry, rows: { attribute: string; source: string }[], userId?: string) {
  const { db } = deps;
  const primary = (await db.select().from(domains).where(eq(domains.kind, 'primary')).limit(1))[0];
  const sample =
    userId ??
    (await db
      .select({ id: directoryUsers.id })
      .from(directoryUsers)
      .where(and(eq(directoryUsers.status, 'active'), primary ? sql`lower(${directoryUsers.primaryEmail}) like ${`%@${primary.name.toLowerCase()}`}` : undefined))
      .orderBy(asc(directoryUsers.familyName), asc(directoryUsers.givenName)).limit(1))[0]?.id;
  const snapshot = sample ? await readSnapshotOf(db, [sample]) : null;
  const user = snapshot?.users[0];
  if (!user) return { user: null, attributes: [] };
  const view: DirectoryUserView = { ...user, appOn: true };
  const mapping = Object.fromEntries(rows.filter((r) => r.source).map((r) => [r.attribute, r.source]));
  const values = desiredAttributes(view, {
    primaryDomain: snapshot.primaryDomain,
    mapping,
    scope: [],
    accessLevels: entry.accessLevels.map((l) => l.value),
    defaultAccessLevel: entry.defaultAccessLevel,
    rules: defaultDeprovisioning,
  });
  return {
    user: { id: user.id, primaryEmail: user.primaryEmail },
    attributes: entry.attributes.map((a) => ({ attribute: a.path, label: a.label, value: values[a.path] ?? null })),
  };
}

