import { randomUUID } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { UserStatus } from '@autoprov/contract';
import { directoryGroups, directoryUsers, domains, groupMembers, orgUnits, type AppDatabase, type DbOrTx, transaction } from '@autoprov/db';
import type { GoogleChanges, GoogleDirectoryRead, GoogleGroup, GoogleOrgUnit, GoogleUser } from '@autoprov/google-directory';
import type { Actor, Clock } from './actor.js';
import { recordChange } from './changes.js';

/**
 * Google Workspace as the directory (issue 6): its users, groups and org units are kept in the
 * same tables as the built-in directory, and every difference is written as a change record.
 * So the engine reads one directory, whatever its kind, and change-driven runs work as they do
 * for edits in the console.
 *
 * G-1: rows are known by Google's immutable ids. An address (a path for org units) is matched
 * only once, for a row that has no Google id yet: the built-in directory's users when an
 * organisation is first connected, and rows mirrored before ids were kept. After that a rename
 * in Google changes the row in place, so app accounts, scopes, team mappings and availability
 * settings stay with it.
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

/** A full read may reorder addresses freely (a swap); an incremental read only sees part of it. */
type Mode = 'full' | 'changes';

const parentPathOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const lastSegment = (path: string) => (path === '/' ? 'Organisation' : path.slice(path.lastIndexOf('/') + 1));

async function ensureOrgUnit(tx: DbOrTx, at: Date, path: string, description: string | null = null): Promise<string> {
  const existing = (await tx.select().from(orgUnits).where(eq(orgUnits.path, path)).limit(1))[0];
  if (existing) return existing.id;
  const parentId = path === '/' ? null : await ensureOrgUnit(tx, at, parentPathOf(path));
  const id = randomUUID();
  await tx.insert(orgUnits).values({ id, parentId, name: lastSegment(path), path, description, createdAt: at });
  await recordChange(tx, googleActor, at, { entityKind: 'org_unit', entityId: id, action: 'created', summary: `Created org unit ${path}`, after: { path } });
  return id;
}

/**
 * Makes the org unit rows what Google lists, by Google's orgUnitId: a renamed or moved unit
 * keeps its row (and so its availability settings, G-1); its members follow it, being linked to
 * the row, not to the path. Parents first, so a unit's new parent row exists.
 */
async function applyOrgUnits(tx: DbOrTx, at: Date, units: GoogleOrgUnit[]) {
  await ensureOrgUnit(tx, at, '/');
  const sorted = [...units].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  const listedIds = new Set(units.map((u) => u.id));
  for (const u of sorted) {
    const local =
      (await tx.select().from(orgUnits).where(eq(orgUnits.googleId, u.id)).limit(1))[0] ??
      (await tx.select().from(orgUnits).where(and(eq(orgUnits.path, u.path), isNull(orgUnits.googleId))).limit(1))[0];
    const parentId = await ensureOrgUnit(tx, at, parentPathOf(u.path));
    if (!local) {
      const id = randomUUID();
      await freeOrgUnitPath(tx, u.path, null, listedIds);
      await tx.insert(orgUnits).values({ id, parentId, name: u.name, path: u.path, description: u.description, googleId: u.id, createdAt: at });
      await recordChange(tx, googleActor, at, { entityKind: 'org_unit', entityId: id, action: 'created', summary: `Created org unit ${u.path}`, after: { path: u.path } });
      continue;
    }
    if (local.googleId === u.id && local.path === u.path && local.name === u.name && local.parentId === parentId && local.description === u.description) continue;
    if (local.path !== u.path) await freeOrgUnitPath(tx, u.path, local.id, listedIds);
    await tx.update(orgUnits).set({ googleId: u.id, path: u.path, name: u.name, parentId, description: u.description }).where(eq(orgUnits.id, local.id));
    if (local.path !== u.path || local.name !== u.name) {
      await recordChange(tx, googleActor, at, {
        entityKind: 'org_unit',
        entityId: local.id,
        action: 'updated',
        summary: local.path === u.path ? `Renamed org unit ${u.path}` : `Org unit ${local.path} is now ${u.path}`,
        before: { path: local.path, name: local.name },
        after: { path: u.path, name: u.name },
      });
    }
  }
}

/**
 * A path about to be taken by another unit: its holder was renamed or moved in Google too
 * (listed: it gets its own path further on) or no longer exists there (kept, renamed aside, as
 * users or settings may still point to it).
 */
async function freeOrgUnitPath(tx: DbOrTx, path: string, exceptId: string | null, listedIds: ReadonlySet<string>) {
  const holder = (await tx.select().from(orgUnits).where(eq(orgUnits.path, path)).limit(1))[0];
  if (!holder || holder.id === exceptId) return;
  const aside = `${path} (${holder.googleId && listedIds.has(holder.googleId) ? 'moving' : 'removed in Google'} ${holder.id.slice(0, 8)})`;
  await tx.update(orgUnits).set({ path: aside, name: lastSegment(aside) }).where(eq(orgUnits.id, holder.id));
  for (const child of await tx.select().from(orgUnits).where(sql`substr(${orgUnits.path}, 1, ${path.length + 1}) = ${`${path}/`}`)) {
    await tx.update(orgUnits).set({ path: aside + child.path.slice(path.length) }).where(eq(orgUnits.id, child.id));
  }
}

type UserRow = typeof directoryUsers.$inferSelect;

async function liveUserByEmail(tx: DbOrTx, email: string): Promise<UserRow | undefined> {
  return (await tx
    .select()
    .from(directoryUsers)
    .where(and(sql`lower(${directoryUsers.primaryEmail}) = ${email.toLowerCase()}`, ne(directoryUsers.status, 'deleted'))).limit(1))[0];
}

/** The local copy of a Google user: by Google's id, else (once) by address among rows without one. */
async function localUser(tx: DbOrTx, g: { id: string | null; email: string }): Promise<UserRow | undefined> {
  if (g.id) {
    const byId = (await tx.select().from(directoryUsers).where(eq(directoryUsers.googleId, g.id)).limit(1))[0];
    if (byId) return byId;
  }
  const byEmail = await liveUserByEmail(tx, g.email);
  return byEmail && (byEmail.googleId === null || !g.id) ? byEmail : undefined;
}

type Outcome = 'created' | 'updated' | 'deleted' | null;

/** Addresses set aside during a swap of addresses (a→b, b→a), by row id: the address before. */
type Parked = Map<string, string>;

/** Writes one Google user; 'blocked' while its address is still held by a user that moves on later. */
async function upsertUser(tx: DbOrTx, at: Date, g: GoogleUser, mode: Mode, pending: ReadonlySet<string>, parked: Parked): Promise<Outcome | 'blocked'> {
  const local = await localUser(tx, { id: g.id, email: g.primaryEmail });
  if (g.status === 'deleted') return local && local.status !== 'deleted' ? await markDeleted(tx, at, local) : null;
  const holder = await liveUserByEmail(tx, g.primaryEmail);
  if (holder && holder.id !== local?.id) {
    // Google gave the address to this user; its holder here was renamed or deleted in Google.
    if (holder.googleId && pending.has(holder.googleId)) return 'blocked';
    if (mode === 'changes') return 'blocked'; // the holder's own event is yet to come; a full read settles it
    await markDeleted(tx, at, holder);
  }
  const values = {
    primaryEmail: g.primaryEmail,
    givenName: g.givenName,
    familyName: g.familyName,
    orgUnitId: await ensureOrgUnit(tx, at, g.orgUnitPath),
    jobTitle: g.jobTitle,
    department: g.department,
    phone: g.phone,
    employeeId: g.employeeId,
    // Google's thumbnailPhotoUrl may be temporary or private (its documentation): not passed on.
    photoUrl: null,
  };
  if (!local) {
    const id = randomUUID();
    await tx.insert(directoryUsers).values({ id, ...values, googleId: g.id, status: g.status, createdAt: at, updatedAt: at });
    await recordChange(tx, googleActor, at, { entityKind: 'user', entityId: id, action: 'created', summary: `Created ${g.primaryEmail}`, after: { ...values, status: g.status } });
    return 'created';
  }
  const before: Record<string, unknown> = { ...Object.fromEntries(Object.keys(values).map((k) => [k, local[k as keyof typeof values]])), primaryEmail: parked.get(local.id) ?? local.primaryEmail };
  const changed = Object.keys(values).filter((k) => before[k] !== values[k as keyof typeof values]);
  parked.delete(local.id);
  if (changed.length === 0 && local.status === g.status && local.googleId === g.id) return null;
  await tx.update(directoryUsers).set({ ...values, googleId: g.id, status: g.status, updatedAt: at, deletedAt: null }).where(eq(directoryUsers.id, local.id));
  if (changed.length === 0 && local.status === g.status) return null; // only Google's id filled in
  if (changed.length > 0) {
    await recordChange(tx, googleActor, at, {
      entityKind: 'user',
      entityId: local.id,
      action: 'updated',
      summary: changed.includes('primaryEmail') ? `Renamed ${String(before.primaryEmail)} to ${g.primaryEmail} in Google` : `Updated ${g.primaryEmail}: ${changed.join(', ')}`,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, values[k as keyof typeof values]])),
    });
  }
  if (local.status !== g.status) {
    await recordChange(tx, googleActor, at, {
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

/**
 * Writes Google users, in as many passes as renames need: a user taking an address another one
 * leaves waits for it; two users swapping addresses get one set aside first.
 */
async function applyUsers(tx: DbOrTx, at: Date, users: GoogleUser[], mode: Mode, summary: MirrorSummary) {
  const parked: Parked = new Map();
  let waiting = users;
  while (waiting.length > 0) {
    const pending = new Set(waiting.filter((u) => u.status !== 'deleted').map((u) => u.id));
    const blocked: GoogleUser[] = [];
    for (const u of waiting) {
      pending.delete(u.id);
      const outcome = await upsertUser(tx, at, u, mode, pending, parked);
      if (outcome === 'blocked') {
        blocked.push(u);
        pending.add(u.id);
        continue;
      }
      count(summary, outcome);
    }
    if (blocked.length === waiting.length) {
      // No progress: a swap, or (incremental) an address whose holder has no event yet.
      const holder = await liveUserByEmail(tx, blocked[0]!.primaryEmail);
      if (!holder?.googleId || !pending.has(holder.googleId)) break;
      parked.set(holder.id, parked.get(holder.id) ?? holder.primaryEmail);
      await tx.update(directoryUsers).set({ primaryEmail: `${holder.id}@moving.invalid` }).where(eq(directoryUsers.id, holder.id));
    }
    waiting = blocked;
  }
}

async function markDeleted(tx: DbOrTx, at: Date, local: UserRow): Promise<'deleted'> {
  await tx.update(directoryUsers).set({ status: 'deleted', updatedAt: at, deletedAt: at }).where(eq(directoryUsers.id, local.id));
  await recordChange(tx, googleActor, at, {
    entityKind: 'user',
    entityId: local.id,
    action: 'deleted',
    summary: `Deleted ${local.primaryEmail}`,
    before: { status: local.status },
    after: { status: 'deleted' },
  });
  return 'deleted';
}

type GroupRow = typeof directoryGroups.$inferSelect;

type MemberRef = { kind: 'user'; userId: string } | { kind: 'group'; groupId: string } | { kind: 'external'; email: string };
const refKey = (m: MemberRef) => (m.kind === 'user' ? `u:${m.userId}` : m.kind === 'group' ? `g:${m.groupId}` : `e:${m.email.toLowerCase()}`);

async function groupByEmail(tx: DbOrTx, email: string) {
  return (await tx.select().from(directoryGroups).where(sql`lower(${directoryGroups.email}) = ${email.toLowerCase()}`).limit(1))[0];
}

/** The local copy of a Google group: by Google's id, else (once) by address among rows without one. */
async function localGroup(tx: DbOrTx, g: { id: string | null; email: string }): Promise<GroupRow | undefined> {
  if (g.id) {
    const byId = (await tx.select().from(directoryGroups).where(eq(directoryGroups.googleId, g.id)).limit(1))[0];
    if (byId) return byId;
  }
  const byEmail = await groupByEmail(tx, g.email);
  return byEmail && (byEmail.googleId === null || !g.id) ? byEmail : undefined;
}

/**
 * Creates the group or updates it in place (an address change included, G-1); members are set
 * in a second pass, once every group exists. Null when the address is still held by another
 * group whose own change is not known yet (an incremental read; the full read settles it).
 */
async function upsertGroupRow(tx: DbOrTx, at: Date, g: GoogleGroup, mode: Mode, listedIds: ReadonlySet<string>): Promise<{ id: string; changed: boolean } | null> {
  const local = await localGroup(tx, g);
  const holder = await groupByEmail(tx, g.email);
  if (holder && holder.id !== local?.id) {
    if (holder.googleId && listedIds.has(holder.googleId)) {
      // Swapping addresses: the other group gets its own address when its turn comes.
      await tx.update(directoryGroups).set({ email: `${holder.id}@moving.invalid` }).where(eq(directoryGroups.id, holder.id));
    } else if (mode === 'full') {
      await removeGroup(tx, at, holder.id, holder.email);
    } else {
      return null;
    }
  }
  if (!local) {
    const id = randomUUID();
    await tx.insert(directoryGroups).values({ id, email: g.email, name: g.name, description: g.description, googleId: g.id, createdAt: at });
    await recordChange(tx, googleActor, at, { entityKind: 'group', entityId: id, action: 'created', summary: `Created group ${g.email}`, after: { name: g.name } });
    return { id, changed: true };
  }
  const same = local.name === g.name && local.description === g.description && local.email === g.email;
  if (same && local.googleId === g.id) return { id: local.id, changed: false };
  await tx.update(directoryGroups).set({ email: g.email, name: g.name, description: g.description, googleId: g.id }).where(eq(directoryGroups.id, local.id));
  if (same) return { id: local.id, changed: false };
  await recordChange(tx, googleActor, at, {
    entityKind: 'group',
    entityId: local.id,
    action: 'updated',
    summary: local.email === g.email ? `Updated group ${g.email}` : `Group ${local.email} is now ${g.email}`,
    before: { name: local.name, email: local.email },
    after: { name: g.name, email: g.email },
  });
  return { id: local.id, changed: true };
}

/** Makes the group's members what Google says, writing a record per member added or removed. */
async function setMembers(tx: DbOrTx, at: Date, groupId: string, groupEmail: string, members: GoogleGroup['members']): Promise<boolean> {
  const wanted = new Map<string, MemberRef>();
  for (const m of members) {
    if (m.kind === 'group') {
      const inner = await localGroup(tx, m);
      if (inner && inner.id !== groupId) wanted.set(refKey({ kind: 'group', groupId: inner.id }), { kind: 'group', groupId: inner.id });
    } else if (m.kind === 'user') {
      const user = await localUser(tx, m);
      if (user && user.status !== 'deleted') wanted.set(refKey({ kind: 'user', userId: user.id }), { kind: 'user', userId: user.id });
    } else {
      wanted.set(refKey({ kind: 'external', email: m.email }), { kind: 'external', email: m.email });
    }
  }
  const current = await tx.select().from(groupMembers).where(eq(groupMembers.groupId, groupId));
  const currentByKey = new Map(
    current.map((row) => {
      const ref: MemberRef = row.kind === 'user' ? { kind: 'user', userId: row.userId! } : row.kind === 'group' ? { kind: 'group', groupId: row.memberGroupId! } : { kind: 'external', email: row.externalEmail! };
      return [refKey(ref), { row, ref }];
    }),
  );
  let changed = false;
  for (const [key, { row, ref }] of currentByKey) {
    if (wanted.has(key)) continue;
    await tx.delete(groupMembers).where(eq(groupMembers.id, row.id));
    await recordChange(tx, googleActor, at, { entityKind: 'group', entityId: groupId, action: 'member_removed', summary: `Removed a member from ${groupEmail}`, before: memberRecord(ref) });
    changed = true;
  }
  for (const [key, ref] of wanted) {
    if (currentByKey.has(key)) continue;
    await tx.insert(groupMembers)
      .values({
        id: randomUUID(),
        groupId,
        kind: ref.kind,
        userId: ref.kind === 'user' ? ref.userId : null,
        memberGroupId: ref.kind === 'group' ? ref.groupId : null,
        externalEmail: ref.kind === 'external' ? ref.email : null,
        createdAt: at,
      });
    await recordChange(tx, googleActor, at, { entityKind: 'group', entityId: groupId, action: 'member_added', summary: `Added a member to ${groupEmail}`, after: { member: memberRecord(ref) } });
    changed = true;
  }
  return changed;
}

/** The shape usersAffectedBetween reads from membership records. */
function memberRecord(ref: MemberRef): Record<string, string> {
  return ref.kind === 'user' ? { kind: 'user', userId: ref.userId } : ref.kind === 'group' ? { kind: 'group', groupId: ref.groupId } : { kind: 'external', email: ref.email };
}

async function removeGroup(tx: DbOrTx, at: Date, id: string, email: string) {
  await setMembers(tx, at, id, email, []);
  for (const outer of await tx.select().from(groupMembers).where(eq(groupMembers.memberGroupId, id))) {
    await tx.delete(groupMembers).where(eq(groupMembers.id, outer.id));
    await recordChange(tx, googleActor, at, { entityKind: 'group', entityId: outer.groupId, action: 'member_removed', summary: `Removed group ${email}`, before: { kind: 'group', groupId: id } });
  }
  await tx.delete(directoryGroups).where(eq(directoryGroups.id, id));
  await recordChange(tx, googleActor, at, { entityKind: 'group', entityId: id, action: 'deleted', summary: `Deleted group ${email}` });
}

async function setDomains(tx: DbOrTx, primaryDomain: string, secondaryDomains: string[]) {
  await tx.delete(domains);
  await tx.insert(domains).values({ name: primaryDomain, kind: 'primary' });
  for (const d of secondaryDomains) await tx.insert(domains).values({ name: d, kind: 'secondary' }).onConflictDoNothing();
}

function count(summary: MirrorSummary, outcome: Outcome) {
  if (outcome === 'created') summary.usersCreated++;
  else if (outcome === 'updated') summary.usersUpdated++;
  else if (outcome === 'deleted') summary.usersDeleted++;
}

/** Writes groups (rows first, then members, so nested groups exist); returns the rows written. */
async function applyGroups(tx: DbOrTx, at: Date, groups: GoogleGroup[], mode: Mode, summary: MirrorSummary): Promise<Set<string>> {
  const listedIds = new Set(groups.map((g) => g.id));
  const rows = new Map<GoogleGroup, { id: string; changed: boolean }>();
  for (const g of groups) {
    const row = await upsertGroupRow(tx, at, g, mode, listedIds);
    if (row) rows.set(g, row);
  }
  for (const [g, { id, changed }] of rows) {
    if (await setMembers(tx, at, id, g.email, g.members) || changed) summary.groupsChanged++;
  }
  return new Set([...rows.values()].map((r) => r.id));
}

/** The Google ids of the users and groups autoprov holds: what a full read must account for. */
export async function mirroredGoogleIds(db: DbOrTx): Promise<{ users: string[]; groups: string[] }> {
  return {
    users: (await db
      .select({ id: directoryUsers.googleId })
      .from(directoryUsers)
      .where(and(ne(directoryUsers.status, 'deleted'), sql`${directoryUsers.googleId} is not null`)))
      .map((r) => r.id!),
    groups: (await db
      .select({ id: directoryGroups.googleId })
      .from(directoryGroups)
      .where(sql`${directoryGroups.googleId} is not null`))
      .map((r) => r.id!),
  };
}

/**
 * Connecting an organisation is when addresses are matched (G-1): ids this organisation does not
 * have (another organisation's, as after a move between Google tenants) are forgotten, so those
 * rows are matched by address once more instead of being replaced.
 */
async function forgetOtherOrganisations(tx: DbOrTx, read: GoogleDirectoryRead) {
  const known = { users: new Set(read.users.map((u) => u.id)), groups: new Set(read.groups.map((g) => g.id)), units: new Set(read.orgUnits.map((o) => o.id)) };
  for (const u of await tx.select({ id: directoryUsers.id, googleId: directoryUsers.googleId }).from(directoryUsers)) {
    if (u.googleId && !known.users.has(u.googleId)) await tx.update(directoryUsers).set({ googleId: null }).where(eq(directoryUsers.id, u.id));
  }
  for (const g of await tx.select({ id: directoryGroups.id, googleId: directoryGroups.googleId }).from(directoryGroups)) {
    if (g.googleId && !known.groups.has(g.googleId)) await tx.update(directoryGroups).set({ googleId: null }).where(eq(directoryGroups.id, g.id));
  }
  for (const o of await tx.select({ id: orgUnits.id, googleId: orgUnits.googleId }).from(orgUnits)) {
    if (o.googleId && !known.units.has(o.googleId)) await tx.update(orgUnits).set({ googleId: null }).where(eq(orgUnits.id, o.id));
  }
}

/**
 * A full read: the directory becomes what Google holds. Local users Google does not have are
 * marked deleted; groups Google does not have are removed.
 */
export async function applyGoogleRead(db: AppDatabase, clock: Clock, read: GoogleDirectoryRead, options: { connecting?: boolean } = {}): Promise<MirrorSummary> {
  // E-14: a read without anyone in it is far likelier a broken read than an empty company;
  // applying it would mark everybody deleted.
  if (!read.users.some((u) => u.status !== 'deleted')) {
    throw new Error('Google returned no users for the organisation, so nothing was changed. Check the connection, then read again.');
  }
  const summary: MirrorSummary = { usersCreated: 0, usersUpdated: 0, usersDeleted: 0, groupsChanged: 0 };
  await transaction(db, async (tx) => {
    const at = clock.now();
    if (options.connecting) await forgetOtherOrganisations(tx, read);
    await setDomains(tx, read.primaryDomain, read.secondaryDomains);
    await applyOrgUnits(tx, at, read.orgUnits);
    // Users Google no longer has go first, freeing their addresses for whoever has them now.
    const liveIds = new Set(read.users.filter((u) => u.status !== 'deleted').map((u) => u.id));
    for (const local of await tx.select().from(directoryUsers).where(ne(directoryUsers.status, 'deleted'))) {
      if (local.googleId && !liveIds.has(local.googleId)) count(summary, await markDeleted(tx, at, local));
    }
    await applyUsers(tx, at, read.users, 'full', summary);
    for (const local of await tx.select().from(directoryUsers).where(ne(directoryUsers.status, 'deleted'))) {
      if (!local.googleId || !liveIds.has(local.googleId)) count(summary, await markDeleted(tx, at, local));
    }
    const groupIds = new Set(read.groups.map((g) => g.id));
    for (const local of await tx.select().from(directoryGroups)) {
      if (local.googleId && !groupIds.has(local.googleId)) {
        await removeGroup(tx, at, local.id, local.email);
        summary.groupsChanged++;
      }
    }
    const written = await applyGroups(tx, at, read.groups, 'full', summary);
    for (const local of await tx.select().from(directoryGroups)) {
      if (!written.has(local.id)) {
        await removeGroup(tx, at, local.id, local.email);
        summary.groupsChanged++;
      }
    }
  });
  return summary;
}

/**
 * An incremental read: only the users and groups the audit logs named are written again. Those
 * Google no longer has (asked for by an address) go last, so an address a rename left behind is
 * never taken for a deletion.
 */
export async function applyGoogleChanges(db: AppDatabase, clock: Clock, changes: GoogleChanges): Promise<MirrorSummary> {
  const summary: MirrorSummary = { usersCreated: 0, usersUpdated: 0, usersDeleted: 0, groupsChanged: 0 };
  await transaction(db, async (tx) => {
    const at = clock.now();
    if (changes.orgUnits) await applyOrgUnits(tx, at, changes.orgUnits);
    const found = new Map<string, GoogleUser>();
    for (const u of changes.users.values()) if (u) found.set(u.id, u);
    await applyUsers(tx, at, [...found.values()], 'changes', summary);
    for (const [email, user] of changes.users) {
      if (user) continue;
      const local = await liveUserByEmail(tx, email);
      if (local) count(summary, await markDeleted(tx, at, local));
    }
    const groups = new Map<string, GoogleGroup>();
    for (const g of changes.groups.values()) if (g) groups.set(g.id, g);
    await applyGroups(tx, at, [...groups.values()], 'changes', summary);
    for (const [email, group] of changes.groups) {
      if (group) continue;
      const local = await groupByEmail(tx, email);
      if (local) {
        await removeGroup(tx, at, local.id, local.email);
        summary.groupsChanged++;
      }
    }
  });
  return summary;
}
