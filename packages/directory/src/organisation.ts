import { asc, eq, sql } from 'drizzle-orm';
import type { Organisation, OrgUnit } from '@autoprov/contract';
import { directoryUsers, domains, organisation, orgUnits, type DbOrTx } from '@autoprov/db';

export function getOrganisation(db: DbOrTx): Organisation | null {
  const org = db.select().from(organisation).get();
  if (!org) return null;
  const rows = db.select().from(domains).orderBy(asc(domains.kind), asc(domains.name)).all();
  return { name: org.name, domains: rows.map((d) => ({ name: d.name, kind: d.kind })) };
}

export function listOrgUnits(db: DbOrTx): OrgUnit[] {
  const counts = db
    .select({ orgUnitId: directoryUsers.orgUnitId, n: sql<number>`count(*)` })
    .from(directoryUsers)
    .where(sql`${directoryUsers.status} <> 'deleted'`)
    .groupBy(directoryUsers.orgUnitId)
    .all();
  const countById = new Map(counts.map((c) => [c.orgUnitId, c.n]));
  return db
    .select()
    .from(orgUnits)
    .orderBy(asc(orgUnits.path))
    .all()
    .map((ou) => ({
      id: ou.id,
      parentId: ou.parentId,
      name: ou.name,
      path: ou.path,
      description: ou.description,
      userCount: countById.get(ou.id) ?? 0,
    }));
}

export function findOrgUnit(db: DbOrTx, id: string) {
  return db.select().from(orgUnits).where(eq(orgUnits.id, id)).get() ?? null;
}

/** The domain part of an address, lower-cased. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function isOrganisationDomain(db: DbOrTx, email: string): boolean {
  return db.select().from(domains).where(eq(domains.name, domainOf(email))).get() != null;
}
