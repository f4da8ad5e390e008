import { randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { UserStatus } from '@autoprov/contract';
import { directoryGroups, directoryUsers, domains, groupMembers, orgUnits, type AppDatabase, type DbOrTx } from '@autoprov/db';
import type { GoogleChanges, GoogleDirectoryRead, GoogleGroup, GoogleOrgUnit, GoogleUser } from '@autoprov/google-directory';
import type { Actor, Clock } from './actor.js';
import { recordChange } from './changes.js';

/**
 * Google Workspace as the directory (issue 6): its users, groups and org units are kept in the
 * same tables as the built-in directory, and every difference is written as a change record.
 * So the engine reads one directory, whatever its kind, and change-driven runs work as they do
 * for edits in the console. Users are matched by address, so the links to app accounts survive
 * a switch of directory.
 */
export const googleActor: Actor = { adminId: null, label: 'Google Workspace' };

export interface MirrorSummary {
  usersCreated: number;
  usersUpdated: number;
  usersDeleted: number;
  groupsChanged: number;
}

const statusAction: Record<UserStatus, 'suspended' | 'restored' | 'archived' | 'deleted'> = {
  active: 'restored',
  suspended: 'suspended',
  archived: 'archived',
  deleted: 'deleted',
};

function ensureOrgUnit(tx: DbOrTx, at: Date, path: string, description: string | null = null): string {
  const existing = tx.select().from(orgUnits).where(eq(orgUnits.path, path)).get();
  if (existing) return existing.id;
  const parentPath = path.slice(0, path.lastIndexOf('/')) || '/';
  const parentId = path === '/' ? null : ensureOrgUnit(tx, at, parentPath);
  const id = randomUUID();
  tx.insert(orgUnits).values({ id, parentId, name: path === '/' ? 'Organisation' : path.slice(path.lastIndexOf('/') + 1), path, description, createdAt: at }).run();
  recordChange(tx, googleActor, at, { entityKind: 'org_unit', entityId: id, action: 'created', summary: `Created org unit ${path}`, after: { path } });
  return id;
}

type UserRow = typeof directoryUsers.$inferSelect;

function liveUserByEmail(tx: DbOrTx, email: string): UserRow | undefined {
  return tx
    .select()
    .from(directoryUsers)
    .where(and(sql`lower(${directoryUsers.primaryEmail}) = ${email.toLowerCase()}`, ne(directoryUsers.status, 'deleted')))
    .get();
}

/** Writes one Google user; returns what happened to the local copy. */
function upsertUser(tx: DbOrTx, at: Date, g: GoogleUser): 'created' | 'updated' | 'deleted' | null {
  const local = liveUserByEmail(tx, g.primaryEmail);
  if (g.status === 'deleted') return local ? markDeleted(tx, at, local) : null;
  const values = {
    primaryEmail: g.primaryEmail,
    givenName: g.givenName,
    familyName: g.familyName,
    orgUnitId: ensureOrgUnit(tx, at, g.orgUnitPath),
    jobTitle: g.jobTitle,
    department: g.department,
    phone: g.phone,
    employeeId: g.employeeId,
    photoUrl: g.photoUrl,
  };
  if (!local) {
    const id = randomUUID();
    tx.insert(directoryUsers).values({ id, ...values, status: g.status, createdAt: at, updatedAt: at }).run();
    recordChange(tx, googleActor, at, { entityKind: 'user', entityId: id, action: 'created', summary: `Created ${g.primaryEmail}`, after: { ...values, status: g.status } });
    return 'created';
  }
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, local[k as keyof typeof values]]));
  const changed = Object.keys(values).filter((k) => before[k] !== values[k as keyof typeof values]);
  if (changed.length === 0 && local.status === g.status) return null;
  tx.update(directoryUsers).set({ ...values, status: g.status, updatedAt: at, deletedAt: null }).where(eq(directoryUsers.id, local.id)).run();
  if (changed.length > 0) {
    recordChange(tx, googleActor, at, {
      entityKind: 'user',
      entityId: local.id,
      action: 'updated',
      summary: `Updated ${g.primaryEmail}: ${changed.join(', ')}`,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, values[k as keyof typeof values]])),
    });
  }
  if (local.status !== g.status) {
    recordChange(tx, googleActor, at, {
      entityKind: 'user',
      entityId: local.id,
      action: statusAction[g.status],
      summary: `${g.status === 'active' ? 'Restored' : g.status === 'suspended' ? 'Suspended' : 'Archived'} ${g.primaryEmail}`,
      before: { status: local.status },
      after: { status: g.status },
    });
  }
  return 'updated';
}

function markDeleted(tx: DbOrTx, at: Date, local: UserRow): 'deleted' {
  tx.update(directoryUsers).set({ status: 'deleted', updatedAt: at, deletedAt: at }).where(eq(directoryUsers.id, local.id)).run();
  recordChange(tx, googleActor, at, {
    entityKind: 'user',
    entityId: local.id,
    action: 'deleted',
    summary: `Deleted ${local.primaryEmail}`,
    before: { status: local.status },
    after: { status: 'deleted' },
  });
  return 'deleted';
}

type MemberRef = { kind: 'user'; userId: string } | { kind: 'group'; groupId: string } | { kind: 'external'; email: string };
const refKey = (m: MemberRef) => (m.kind === 'user' ? `u:${m.userId}` : m.kind === 'group' ? `g:${m.groupId}` : `e:${m.email.toLowerCase()}`);

function groupByEmail(tx: DbOrTx, email: string) {
  return tx.select().from(directoryGroups).where(sql`lower(${directoryGroups.email}) = ${email.toLowerCase()}`).get();
}

/** Creates or renames the group; members are set in a second pass, once every group exists. */
function upsertGroupRow(tx: DbOrTx, at: Date, g: GoogleGroup): { id: string; changed: boolean } {
  const local = groupByEmail(tx, g.email);
  if (!local) {
    const id = randomUUID();
    tx.insert(directoryGroups).values({ id, email: g.email, name: g.name, description: g.description, createdAt: at }).run();
    recordChange(tx, googleActor, at, { entityKind: 'group', entityId: id, action: 'created', summary: `Created group ${g.email}`, after: { name: g.name } });
    return { id, changed: true };
  }
  if (local.name !== g.name || local.description !== g.description) {
    tx.update(directoryGroups).set({ name: g.name, description: g.description }).where(eq(directoryGroups.id, local.id)).run();
    recordChange(tx, googleActor, at, { entityKind: 'group', entityId: local.id, action: 'updated', summary: `Updated group ${g.email}`, before: { name: local.name }, after: { name: g.name } });
    return { id: local.id, changed: true };
  }
  return { id: local.id, changed: false };
}

/** Makes the group's members what Google says, writing a record per member added or removed. */
function setMembers(tx: DbOrTx, at: Date, groupId: string, groupEmail: string, members: GoogleGroup['members']): boolean {
  const wanted = new Map<string, MemberRef>();
  for (const m of members) {
    if (m.kind === 'group') {
      const inner = groupByEmail(tx, m.email);
      if (inner && inner.id !== groupId) wanted.set(refKey({ kind: 'group', groupId: inner.id }), { kind: 'group', groupId: inner.id });
    } else if (m.kind === 'user') {
      const user = liveUserByEmail(tx, m.email);
      if (user) wanted.set(refKey({ kind: 'user', userId: user.id }), { kind: 'user', userId: user.id });
    } else {
      wanted.set(refKey({ kind: 'external', email: m.email }), { kind: 'external', email: m.email });
    }
  }
  const current = tx.select().from(groupMembers).where(eq(groupMembers.groupId, groupId)).all();
  const currentByKey = new Map(
    current.map((row) => {
      const ref: MemberRef = row.kind === 'user' ? { kind: 'user', userId: row.userId! } : row.kind === 'group' ? { kind: 'group', groupId: row.memberGroupId! } : { kind: 'external', email: row.externalEmail! };
      return [refKey(ref), { row, ref }];
    }),
  );
  let changed = false;
  for (const [key, { row, ref }] of currentByKey) {
    if (wanted.has(key)) continue;
    tx.delete(groupMembers).where(eq(groupMembers.id, row.id)).run();
    recordChange(tx, googleActor, at, { entityKind: 'group', entityId: groupId, action: 'member_removed', summary: `Removed a member from ${groupEmail}`, before: memberRecord(ref) });
    changed = true;
  }
  for (const [key, ref] of wanted) {
    if (currentByKey.has(key)) continue;
    tx.insert(groupMembers)
      .values({
        id: randomUUID(),
        groupId,
        kind: ref.kind,
        userId: ref.kind === 'user' ? ref.userId : null,
        memberGroupId: ref.kind === 'group' ? ref.groupId : null,
        externalEmail: ref.kind === 'external' ? ref.email : null,
        createdAt: at,
      })
      .run();
    recordChange(tx, googleActor, at, { entityKind: 'group', entityId: groupId, action: 'member_added', summary: `Added a member to ${groupEmail}`, after: { member: memberRecord(ref) } });
    changed = true;
  }
  return changed;
}

/** The shape usersAffectedBetween reads from membership records. */
function memberRecord(ref: MemberRef): Record<string, string> {
  return ref.kind === 'user' ? { kind: 'user', userId: ref.userId } : ref.kind === 'group' ? { kind: 'group', groupId: ref.groupId } : { kind: 'external', email: ref.email };
}

function removeGroup(tx: DbOrTx, at: Date, id: string, email: string) {
  setMembers(tx, at, id, email, []);
  for (const outer of tx.select().from(groupMembers).where(eq(groupMembers.memberGroupId, id)).all()) {
    tx.delete(groupMembers).where(eq(groupMembers.id, outer.id)).run();
    recordChange(tx, googleActor, at, { entityKind: 'group', entityId: outer.groupId, action: 'member_removed', summary: `Removed group ${email}`, before: { kind: 'group', groupId: id } });
  }
  tx.delete(directoryGroups).where(eq(directoryGroups.id, id)).run();
  recordChange(tx, googleActor, at, { entityKind: 'group', entityId: id, action: 'deleted', summary: `Deleted group ${email}` });
}

function setDomains(tx: DbOrTx, primaryDomain: string, secondaryDomains: string[]) {
  tx.delete(domains).run();
  tx.insert(domains).values({ name: primaryDomain, kind: 'primary' }).run();
  for (const d of secondaryDomains) tx.insert(domains).values({ name: d, kind: 'secondary' }).onConflictDoNothing().run();
}

function applyOrgUnits(tx: DbOrTx, at: Date, units: GoogleOrgUnit[]) {
  ensureOrgUnit(tx, at, '/');
  for (const u of [...units].sort((a, b) => a.path.length - b.path.length)) ensureOrgUnit(tx, at, u.path, u.description);
}

/**
 * A full read: the directory becomes what Google holds. Local users Google does not have are
 * marked deleted; groups Google does not have are removed.
 */
export function applyGoogleRead(db: AppDatabase, clock: Clock, read: GoogleDirectoryRead): MirrorSummary {
  // E-14: a read without anyone in it is far likelier a broken read than an empty company;
  // applying it would mark everybody deleted.
  if (!read.users.some((u) => u.status !== 'deleted')) {
    throw new Error('Google returned no users for the organisation, so nothing was changed. Check the connection, then read again.');
  }
  const summary: MirrorSummary = { usersCreated: 0, usersUpdated: 0, usersDeleted: 0, groupsChanged: 0 };
  db.transaction((tx) => {
    const at = clock.now();
    setDomains(tx, read.primaryDomain, read.secondaryDomains);
    applyOrgUnits(tx, at, read.orgUnits);
    const inGoogle = new Set<string>();
    for (const u of read.users) {
      if (u.status !== 'deleted') inGoogle.add(u.primaryEmail.toLowerCase());
      const outcome = upsertUser(tx, at, u);
      if (outcome === 'created') summary.usersCreated++;
      else if (outcome === 'updated') summary.usersUpdated++;
      else if (outcome === 'deleted') summary.usersDeleted++;
    }
    for (const local of tx.select().from(directoryUsers).where(ne(directoryUsers.status, 'deleted')).all()) {
      if (!inGoogle.has(local.primaryEmail.toLowerCase())) {
        markDeleted(tx, at, local);
        summary.usersDeleted++;
      }
    }
    const ids = new Map(read.groups.map((g) => [g.email, upsertGroupRow(tx, at, g)]));
    for (const g of read.groups) {
      const { id, changed } = ids.get(g.email)!;
      if (setMembers(tx, at, id, g.email, g.members) || changed) summary.groupsChanged++;
    }
    const wantedGroups = new Set(read.groups.map((g) => g.email.toLowerCase()));
    for (const local of tx.select().from(directoryGroups).all()) {
      if (!wantedGroups.has(local.email.toLowerCase())) {
        removeGroup(tx, at, local.id, local.email);
        summary.groupsChanged++;
      }
    }
  });
  return summary;
}

/** An incremental read: only the users and groups the audit log named are written again. */
export function applyGoogleChanges(db: AppDatabase, clock: Clock, changes: GoogleChanges): MirrorSummary {
  const summary: MirrorSummary = { usersCreated: 0, usersUpdated: 0, usersDeleted: 0, groupsChanged: 0 };
  db.transaction((tx) => {
    const at = clock.now();
    if (changes.orgUnits) applyOrgUnits(tx, at, changes.orgUnits);
    for (const [email, user] of changes.users) {
      const outcome = user ? upsertUser(tx, at, user) : (() => {
        const local = liveUserByEmail(tx, email);
        return local ? markDeleted(tx, at, local) : null;
      })();
      if (outcome === 'created') summary.usersCreated++;
      else if (outcome === 'updated') summary.usersUpdated++;
      else if (outcome === 'deleted') summary.usersDeleted++;
    }
    for (const [email, group] of changes.groups) {
      if (!group) {
        const local = groupByEmail(tx, email);
        if (local) removeGroup(tx, at, local.id, local.email);
        summary.groupsChanged++;
        continue;
      }
      const { id, changed } = upsertGroupRow(tx, at, group);
      if (setMembers(tx, at, id, group.email, group.members) || changed) summary.groupsChanged++;
    }
  });
  return summary;
}
