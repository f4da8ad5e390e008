import { eq, sql } from 'drizzle-orm';
import { directoryChanges, directoryUsers, domains, groupMembers, orgUnits, type DbOrTx } from '@autoprov/db';
import type { UserStatus } from '@autoprov/contract';

/** A user as a provisioning run reads them: attributes, where they sit, every group they are in. */
export interface SnapshotUser {
  id: string;
  primaryEmail: string;
  status: UserStatus;
  orgUnitPath: string;
  attributes: Record<string, string | null>;
  /** Direct groups and every group that contains one of them, at any depth. */
  groupIds: Set<string>;
}

export interface DirectorySnapshot {
  primaryDomain: string;
  users: SnapshotUser[];
}

/** The directory attributes a mapping can use (W-4), with their labels. */
export const directoryAttributes = {
  primaryEmail: 'Primary e-mail',
  givenName: 'First name',
  familyName: 'Last name',
  fullName: 'Full name',
  jobTitle: 'Job title',
  department: 'Department',
  phone: 'Phone',
  employeeId: 'Employee ID',
  orgUnitPath: 'Organisational unit',
  photoUrl: 'Photo URL',
} as const;

/**
 * Reads the whole built-in directory in three queries; group nesting is resolved in memory so a
 * run over 100,000 users costs no query per user.
 */
export function readSnapshot(db: DbOrTx): DirectorySnapshot {
  const primaryDomain = db.select().from(domains).where(eq(domains.kind, 'primary')).get()?.name ?? '';
  const paths = new Map(db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).all().map((o) => [o.id, o.path]));
  const members = db.select().from(groupMembers).all();

  // parentsOf(group) = the groups that contain it directly.
  const parentsOf = new Map<string, string[]>();
  const directGroupsOf = new Map<string, string[]>();
  for (const m of members) {
    if (m.kind === 'group' && m.memberGroupId) {
      parentsOf.set(m.memberGroupId, [...(parentsOf.get(m.memberGroupId) ?? []), m.groupId]);
    } else if (m.kind === 'user' && m.userId) {
      directGroupsOf.set(m.userId, [...(directGroupsOf.get(m.userId) ?? []), m.groupId]);
    }
  }
  const closure = new Map<string, Set<string>>();
  const enclosing = (groupId: string): Set<string> => {
    const known = closure.get(groupId);
    if (known) return known;
    const found = new Set<string>([groupId]);
    closure.set(groupId, found); // set before recursing: a loop cannot recurse forever
    for (const parent of parentsOf.get(groupId) ?? []) for (const g of enclosing(parent)) found.add(g);
    return found;
  };

  const users = db
    .select()
    .from(directoryUsers)
    .all()
    .map((u): SnapshotUser => {
      const groupIds = new Set<string>();
      for (const g of directGroupsOf.get(u.id) ?? []) for (const e of enclosing(g)) groupIds.add(e);
      const orgUnitPath = paths.get(u.orgUnitId) ?? '/';
      return {
        id: u.id,
        primaryEmail: u.primaryEmail,
        status: u.status,
        orgUnitPath,
        groupIds,
        attributes: {
          primaryEmail: u.primaryEmail,
          givenName: u.givenName,
          familyName: u.familyName,
          fullName: `${u.givenName} ${u.familyName}`,
          jobTitle: u.jobTitle,
          department: u.department,
          phone: u.phone,
          employeeId: u.employeeId,
          orgUnitPath,
          photoUrl: u.photoUrl,
        },
      };
    });
  return { primaryDomain, users };
}

/** The built-in directory as the engine's directory port. */
export function builtInDirectory(db: DbOrTx) {
  return { read: async () => readSnapshot(db) };
}

/** The newest change record's id: the engine starts a change-driven run when it moves (E-11). */
export function latestChangeId(db: DbOrTx): number {
  return db.select({ id: sql<number>`coalesce(max(${directoryChanges.id}), 0)` }).from(directoryChanges).get()?.id ?? 0;
}
