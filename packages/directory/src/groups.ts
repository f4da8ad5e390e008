import { randomUUID } from 'node:crypto';
import { alias } from 'drizzle-orm/sqlite-core';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import {
  AppError,
  type AddGroupMember,
  type GroupDetail,
  type GroupMember,
  type GroupSummary,
  type Page,
} from '@autoprov/contract';
import { directoryGroups, directoryUsers, groupMembers, type AppDatabase, type DbOrTx, transaction, rowsOf, contains } from '@autoprov/db';
import type { Actor, Clock } from './actor.js';
import { recordChange } from './changes.js';
import { offsetOf } from './search.js';

type GroupRow = typeof directoryGroups.$inferSelect;

// Table and columns named in full: drizzle writes a column of a one-table select unqualified, so
// `${directoryGroups.id}` here would read as the subquery's own `group_members.id` (every count 0).
const directMemberCount = sql<number>`(select count(*) from ${groupMembers} where ${groupMembers}.${sql.identifier(groupMembers.groupId.name)} = ${directoryGroups}.${sql.identifier(directoryGroups.id.name)})`.mapWith(Number);

function toSummary(row: GroupRow, count: number): GroupSummary {
  return { id: row.id, email: row.email, name: row.name, description: row.description, directMemberCount: count };
}

export async function listGroups(
  db: DbOrTx,
  query: { q?: string | undefined; page: number; pageSize: number },
): Promise<Page<GroupSummary>> {
  const where = query.q
    ? or(contains(directoryGroups.email, query.q), contains(directoryGroups.name, query.q))
    : undefined;
  const total = (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(directoryGroups).where(where).limit(1))[0]?.n ?? 0;
  const rows = await db
    .select({ group: directoryGroups, count: directMemberCount })
    .from(directoryGroups)
    .where(where)
    .orderBy(asc(directoryGroups.name), asc(directoryGroups.id))
    .limit(query.pageSize)
    .offset(offsetOf(query.page, query.pageSize));
  return {
    items: rows.map((r) => toSummary(r.group, r.count)),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function requireGroup(db: DbOrTx, id: string): Promise<GroupRow> {
  const group = (await db.select().from(directoryGroups).where(eq(directoryGroups.id, id)).limit(1))[0];
  if (!group) throw new AppError('not_found', 'This group does not exist.');
  return group;
}

export async function getGroup(db: DbOrTx, id: string): Promise<GroupDetail> {
  const group = await requireGroup(db, id);
  const nested = alias(directoryGroups, 'nested');
  const rows = await db
    .select({ member: groupMembers, user: directoryUsers, nested })
    .from(groupMembers)
    .leftJoin(directoryUsers, eq(directoryUsers.id, groupMembers.userId))
    .leftJoin(nested, eq(nested.id, groupMembers.memberGroupId))
    .where(eq(groupMembers.groupId, id));
  const members: GroupMember[] = rows.map(({ member, user, nested: g }) => ({
    id: member.id,
    kind: member.kind,
    user: user
      ? {
          id: user.id,
          primaryEmail: user.primaryEmail,
          givenName: user.givenName,
          familyName: user.familyName,
          status: user.status,
        }
      : null,
    group: g ? { id: g.id, email: g.email, name: g.name } : null,
    externalEmail: member.externalEmail,
  }));
  members.sort((a, b) => memberLabel(a).localeCompare(memberLabel(b)));
  return { ...toSummary(group, members.length), members };
}

export function memberLabel(m: GroupMember): string {
  return m.user?.primaryEmail ?? m.group?.email ?? m.externalEmail ?? '';
}

export async function createGroup(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  input: { email: string; name: string; description?: string | null | undefined },
): Promise<GroupDetail> {
  const id = randomUUID();
  await transaction(db, async (tx) => {
    const taken = (await tx
      .select({ id: directoryGroups.id })
      .from(directoryGroups)
      .where(sql`lower(${directoryGroups.email}) = ${input.email.toLowerCase()}`).limit(1))[0];
    if (taken) throw new AppError('conflict', 'The address is already used.', { email: 'Another group already has this address.' });
    const now = clock.now();
    await tx.insert(directoryGroups)
      .values({ id, email: input.email, name: input.name, description: input.description ?? null, createdAt: now });
    await recordChange(tx, actor, now, {
      entityKind: 'group',
      entityId: id,
      action: 'created',
      summary: `Created group ${input.email}`,
      after: { email: input.email, name: input.name },
    });
  });
  return await getGroup(db, id);
}

/** Ids of every group nested inside `groupId`, at any depth (the group itself included). */
async function nestedGroupIds(db: DbOrTx, groupId: string): Promise<Set<string>> {
  const rows = await rowsOf<{ id: string }>(db, sql`
    with recursive inside(id) as (
      select cast(${groupId} as text)
      union
      select ${groupMembers.memberGroupId} from ${groupMembers}
        join inside on ${groupMembers.groupId} = inside.id
        where ${groupMembers.memberGroupId} is not null
    )
    select id from inside`);
  return new Set(rows.map((r) => r.id));
}

export async function addGroupMember(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  groupId: string,
  member: AddGroupMember,
): Promise<GroupDetail> {
  await transaction(db, async (tx) => {
    const group = await requireGroup(tx, groupId);
    const now = clock.now();
    const base = { id: randomUUID(), groupId, createdAt: now };
    let label: string;
    let existing;
    switch (member.kind) {
      case 'user': {
        const user = (await tx.select().from(directoryUsers).where(eq(directoryUsers.id, member.userId)).limit(1))[0];
        if (!user || user.status === 'deleted') {
          throw new AppError('validation_failed', 'This user does not exist.', { userId: 'Choose an existing user.' });
        }
        label = user.primaryEmail;
        existing = (await tx
          .select()
          .from(groupMembers)
          .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, user.id))).limit(1))[0];
        if (!existing) await tx.insert(groupMembers).values({ ...base, kind: 'user', userId: user.id });
        break;
      }
      case 'group': {
        const inner = (await tx.select().from(directoryGroups).where(eq(directoryGroups.id, member.groupId)).limit(1))[0];
        if (!inner) throw new AppError('validation_failed', 'This group does not exist.', { groupId: 'Choose an existing group.' });
        if ((await nestedGroupIds(tx, inner.id)).has(groupId)) {
          throw new AppError('conflict', `${inner.email} already contains ${group.email}: nesting it would make a loop.`, {
            groupId: 'This group already contains the group you are adding it to.',
          });
        }
        label = inner.email;
        existing = (await tx
          .select()
          .from(groupMembers)
          .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberGroupId, inner.id))).limit(1))[0];
        if (!existing) await tx.insert(groupMembers).values({ ...base, kind: 'group', memberGroupId: inner.id });
        break;
      }
      case 'external': {
        label = member.email;
        existing = (await tx
          .select()
          .from(groupMembers)
          .where(and(eq(groupMembers.groupId, groupId), sql`lower(${groupMembers.externalEmail}) = ${member.email.toLowerCase()}`)).limit(1))[0];
        if (!existing) await tx.insert(groupMembers).values({ ...base, kind: 'external', externalEmail: member.email });
        break;
      }
    }
    if (existing) throw new AppError('conflict', `${label} is already a member of ${group.email}.`);
    await recordChange(tx, actor, now, {
      entityKind: 'group',
      entityId: groupId,
      action: 'member_added',
      summary: `Added ${label} to ${group.email}`,
      after: { member: member },
    });
  });
  return await getGroup(db, groupId);
}

export async function removeGroupMember(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  groupId: string,
  memberId: string,
): Promise<GroupDetail> {
  await transaction(db, async (tx) => {
    const group = await requireGroup(tx, groupId);
    const detail = await getGroup(tx, groupId);
    const member = detail.members.find((m) => m.id === memberId);
    if (!member) throw new AppError('not_found', 'This member is not in the group.');
    await tx.delete(groupMembers).where(eq(groupMembers.id, memberId));
    await recordChange(tx, actor, clock.now(), {
      entityKind: 'group',
      entityId: groupId,
      action: 'member_removed',
      summary: `Removed ${memberLabel(member)} from ${group.email}`,
      before: { kind: member.kind, userId: member.user?.id, groupId: member.group?.id, email: member.externalEmail },
    });
  });
  return await getGroup(db, groupId);
}
