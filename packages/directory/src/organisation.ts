import { asc, eq, sql } from 'drizzle-orm';
import type { Organisation, OrgUnit } from '@autoprov/contract';
import { directoryUsers, domains, organisation, orgUnits, type DbOrTx } from '@autoprov/db';

export async function getOrganisation(db: DbOrTx): Promise<Organisation | null> {
  const org = (await db.select().from(organisation).limit(1))[0];
  if (!org) return null;
  const rows = await db.select().from(domains).orderBy(asc(domains.kind), asc(domains.name));
  return { name: org.name, domains: rows.map((d) => ({ name: d.name, kind: d.kind })) };
}

export async function listOrgUnits(db: DbOrTx): Promise<OrgUnit[]> {
  const counts = await db
    .select({ orgUnitId: directoryUsers.orgUnitId, n: sql<number>`count(*)`.mapWith(Number) })
    .from(directoryUsers)
    .where(sql`${directoryUsers.status} <> 'deleted'`)
    .groupBy(directoryUsers.orgUnitId);
  const countById = new Map(counts.map((c) => [c.orgUnitId, c.n]));
  return (await db
    .select()
    .from(orgUnits)
    .orderBy(asc(orgUnits.path)))
    .map((ou) => ({
      id: ou.id,
      parentId: ou.parentId,
      name: ou.name,
      path: ou.path,
      description: ou.description,
      userCount: countById.get(ou.id) ?? 0,
    }));
}

export async function findOrgUnit(db: DbOrTx, id: string) {
  return (await db.select().from(orgUnits).where(eq(orgUnits.id, id)).limit(1))[0] ?? null;
}

/** The domain part of an address, lower-cased. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export async function isOrganisationDomain(db: DbOrTx, email: string): Promise<boolean> {
  return (await db.select().from(domains).where(eq(domains.name, domainOf(email))).limit(1))[0] != null;
}
