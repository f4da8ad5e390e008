import { eq, gt, inArray, sql } from 'drizzle-orm';
import { directoryChanges, directoryUsers, domains, groupMembers, orgUnits, rowsOf, type DbOrTx } from '@autoprov/db';
import type { UserStatus } from '@autoprov/contract';

/** A user as a provisioning run reads them: attributes, where they sit, every group they are in. */
export interface SnapshotUser {
  id: string;
  primaryEmail: string;
  status: UserStatus;
  orgUnitPath: string;
  attributes: Record<string, string | null>;
  /** Direct groups and every group that contains one of them, at any depth. */
  groupIds: ReadonlySet<string>;
}

export interface DirectorySnapshot {
  primaryDomain: string;
  users: SnapshotUser[];
}


/**
 * Reads the whole built-in directory in three queries; group nesting is resolved in memory so a
 * run over 100,000 users costs no query per user.
 */
export async function readSnapshot(db: DbOrTx): Promise<DirectorySnapshot> {
  const { primaryDomain, toUser } = await snapshotReader(db);
  return { primaryDomain, users: (await db.select().from(directoryUsers)).map(toUser) };
}

/**
 * The directory a page of users at a time (by id), for runs that must not hold 100,000 users
 * at once. Group nesting is resolved once, in memory.
 */
export async function* readSnapshotPages(db: DbOrTx, pageSize: number): AsyncGenerator<DirectorySnapshot> {
  const { primaryDomain, toUser } = await snapshotReader(db);
  let after = '';
  for (;;) {
    const rows = await db.select().from(directoryUsers).where(gt(directoryUsers.id, after)).orderBy(directoryUsers.id).limit(pageSize);
    if (rows.length === 0) return;
    yield { primaryDomain, users: rows.map(toUser) };
    after = rows.at(-1)!.id;
    if (rows.length < pageSize) return;
  }
}

/** What reading users needs besides the user rows: org unit paths and every group a user is in. */
async function snapshotReader(db: DbOrTx) {
  const primaryDomain = (await db.select().from(domains).where(eq(domains.kind, 'primary')).limit(1))[0]?.name ?? '';
  const paths = new Map((await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits)).map((o) => [o.id, o.path]));
  const members = await db.select().from(groupMembers);

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
  // Most users of a large directory are in no group: they share one empty set.
  const noGroups: ReadonlySet<string> = new Set<string>();
  const toUser = (u: typeof directoryUsers.$inferSelect): SnapshotUser => {
    const direct = directGroupsOf.get(u.id);
    if (!direct) return toSnapshotUser(u, paths.get(u.orgUnitId) ?? '/', noGroups);
    const groupIds = new Set<string>();
    for (const g of direct) for (const e of enclosing(g)) groupIds.add(e);
    return toSnapshotUser(u, paths.get(u.orgUnitId) ?? '/', groupIds);
  };
  return { primaryDomain, toUser };
}

function toSnapshotUser(u: typeof directoryUsers.$inferSelect, orgUnitPath: string, groupIds: ReadonlySet<string>): SnapshotUser {
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
}

/** The built-in directory as the engine's directory port. */
export function builtInDirectory(db: DbOrTx) {
  return {
    read: async () => await readSnapshot(db),
    readUsers: async (ids: string[]) => await readSnapshotOf(db, ids),
    readPages: (pageSize: number) => readSnapshotPages(db, pageSize),
    // E-11: the change records after the cursor; the users they affect are worked out only when asked.
    changesSince: async (cursor: number) => {
      const upTo = await latestChangeId(db);
      return { upTo, affectedUserIds: async () => await usersAffectedBetween(db, cursor, upTo) };
    },
  };
}

/** The newest change record's id: the engine starts a change-driven run when it moves (E-11). */
export async function latestChangeId(db: DbOrTx): Promise<number> {
  return (await db.select({ id: sql<number>`coalesce(max(${directoryChanges.id}), 0)`.mapWith(Number) }).from(directoryChanges).limit(1))[0]?.id ?? 0;
}

/**
 * The users whose provisioning a set of change records can affect (E-11): the users changed,
 * and for a membership change the member — every user inside it, for a nested group. Null when
 * the changes cannot be narrowed down and a full read is needed.
 */
export async function usersAffectedBetween(db: DbOrTx, afterId: number, upToId: number): Promise<string[] | null> {
  const changes = await db
    .select()
    .from(directoryChanges)
    .where(sql`${directoryChanges.id} > ${afterId} and ${directoryChanges.id} <= ${upToId}`);
  const ids = new Set<string>();
  const nestedGroups = new Set<string>();
  for (const c of changes) {
    if (c.entityKind === 'user') ids.add(c.entityId);
    else if (c.entityKind === 'group' && (c.action === 'member_added' || c.action === 'member_removed')) {
      const member = (c.action === 'member_added' ? (c.after as { member?: Record<string, string> })?.member : (c.before as Record<string, string>)) ?? {};
      if (member.userId) ids.add(member.userId);
      if (member.groupId) nestedGroups.add(member.groupId);
      if (member.kind === 'external') continue;
    } else if (c.entityKind === 'group') {
      continue; // a new, empty group changes nobody's provisioning
    } else {
      return null;
    }
  }
  for (const groupId of nestedGroups) {
    const inside = await rowsOf<{ id: string }>(db, sql`
      with recursive inside(id) as (
        select cast(${groupId} as text)
        union
        select ${groupMembers.memberGroupId} from ${groupMembers} join inside on ${groupMembers.groupId} = inside.id
        where ${groupMembers.memberGroupId} is not null
      )
      select distinct ${groupMembers.userId} as id from ${groupMembers}
      where ${groupMembers.groupId} in (select id from inside) and ${groupMembers.userId} is not null`);
    for (const r of inside) ids.add(r.id);
  }
  return [...ids];
}

/** Like readSnapshot, for a few users only: what a change-driven run reads (E-11). */
export async function readSnapshotOf(db: DbOrTx, userIds: string[]): Promise<DirectorySnapshot> {
  const primaryDomain = (await db.select().from(domains).where(eq(domains.kind, 'primary')).limit(1))[0]?.name ?? '';
  if (userIds.length === 0) return { primaryDomain, users: [] };
  const users: SnapshotUser[] = [];
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    const rows = await db
      .select({ user: directoryUsers, path: orgUnits.path })
      .from(directoryUsers)
      .innerJoin(orgUnits, eq(orgUnits.id, directoryUsers.orgUnitId))
      .where(inArray(directoryUsers.id, chunk));
    for (const { user: u, path } of rows) {
      const groups = await rowsOf<{ id: string }>(db, sql`
        with recursive enclosing(id) as (
          select ${groupMembers.groupId} from ${groupMembers} where ${groupMembers.userId} = ${u.id}
          union
          select ${groupMembers.groupId} from ${groupMembers} join enclosing on ${groupMembers.memberGroupId} = enclosing.id
        )
        select id from enclosing`);
      users.push(toSnapshotUser(u, path, new Set(groups.map((g) => g.id))));
    }
  }
  return { primaryDomain, users };
}
