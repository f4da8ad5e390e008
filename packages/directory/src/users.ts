import { randomUUID } from 'node:crypto';
import { and, asc, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import {
  AppError,
  type DirectoryUser,
  type DirectoryUserDetail,
  type Page,
  type UserInputParsed,
  type UserListQuery,
  type UserStatus,
} from '@autoprov/contract';
import {
  directoryGroups,
  directoryUsers,
  groupMembers,
  orgUnits,
  type AppDatabase,
  type DbOrTx, transaction, contains } from '@autoprov/db';
import type { Actor, Clock } from './actor.js';
import { recordChange } from './changes.js';
import { domainOf, findOrgUnit, getOrganisation, isOrganisationDomain } from './organisation.js';
import { offsetOf } from './search.js';

type UserRow = typeof directoryUsers.$inferSelect;

const userColumns = {
  user: directoryUsers,
  orgUnitPath: orgUnits.path,
};

function toUser(row: { user: UserRow; orgUnitPath: string }): DirectoryUser {
  const u = row.user;
  return {
    id: u.id,
    primaryEmail: u.primaryEmail,
    givenName: u.givenName,
    familyName: u.familyName,
    status: u.status,
    orgUnitId: u.orgUnitId,
    orgUnitPath: row.orgUnitPath,
    photoUrl: u.photoUrl,
    jobTitle: u.jobTitle,
    department: u.department,
    phone: u.phone,
    employeeId: u.employeeId,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    deletedAt: u.deletedAt?.toISOString() ?? null,
  };
}

/** What a change record keeps of a user: the attributes an app could be sent. */
function snapshot(u: UserRow) {
  return {
    primaryEmail: u.primaryEmail,
    givenName: u.givenName,
    familyName: u.familyName,
    status: u.status,
    orgUnitId: u.orgUnitId,
    photoUrl: u.photoUrl,
    jobTitle: u.jobTitle,
    department: u.department,
    phone: u.phone,
    employeeId: u.employeeId,
  };
}

export async function listUsers(db: DbOrTx, query: UserListQuery): Promise<Page<DirectoryUser>> {
  const filters: SQL[] = [];
  // Deleted users are only listed when asked for by status.
  filters.push(query.status ? eq(directoryUsers.status, query.status) : ne(directoryUsers.status, 'deleted'));
  if (query.orgUnitId) filters.push(eq(directoryUsers.orgUnitId, query.orgUnitId));
  if (query.q) {
    const term = query.q;
    const anyOf = or(
      contains(directoryUsers.primaryEmail, term),
      contains(directoryUsers.givenName, term),
      contains(directoryUsers.familyName, term),
      contains(sql`${directoryUsers.givenName} || ' ' || ${directoryUsers.familyName}`, term),
    );
    if (anyOf) filters.push(anyOf);
  }
  const where = and(...filters);
  const total = (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(directoryUsers).where(where).limit(1))[0]?.n ?? 0;
  const rows = await db
    .select(userColumns)
    .from(directoryUsers)
    .innerJoin(orgUnits, eq(orgUnits.id, directoryUsers.orgUnitId))
    .where(where)
    .orderBy(asc(directoryUsers.familyName), asc(directoryUsers.givenName), asc(directoryUsers.id))
    .limit(query.pageSize)
    .offset(offsetOf(query.page, query.pageSize));
  return { items: rows.map(toUser), total, page: query.page, pageSize: query.pageSize };
}

export async function getUser(db: DbOrTx, id: string): Promise<DirectoryUserDetail> {
  const row = (await db
    .select(userColumns)
    .from(directoryUsers)
    .innerJoin(orgUnits, eq(orgUnits.id, directoryUsers.orgUnitId))
    .where(eq(directoryUsers.id, id)).limit(1))[0];
  if (!row) throw new AppError('not_found', 'This user does not exist.');
  const groups = await db
    .select({ id: directoryGroups.id, email: directoryGroups.email, name: directoryGroups.name })
    .from(groupMembers)
    .innerJoin(directoryGroups, eq(directoryGroups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, id))
    .orderBy(asc(directoryGroups.name));
  return { ...toUser(row), groups };
}

async function requireUser(db: DbOrTx, id: string): Promise<UserRow> {
  const user = (await db.select().from(directoryUsers).where(eq(directoryUsers.id, id)).limit(1))[0];
  if (!user) throw new AppError('not_found', 'This user does not exist.');
  return user;
}

async function checkEmail(db: DbOrTx, email: string, exceptUserId?: string): Promise<void> {
  if (!await isOrganisationDomain(db, email)) {
    const domains = (await getOrganisation(db))?.domains.map((d) => d.name).join(', ') ?? '';
    throw new AppError('validation_failed', 'The address is not in the organisation.', {
      primaryEmail: `Use an address in one of the organisation's domains (${domains}); ${domainOf(email)} is not one of them.`,
    });
  }
  const taken = (await db
    .select({ id: directoryUsers.id })
    .from(directoryUsers)
    .where(
      and(
        sql`lower(${directoryUsers.primaryEmail}) = ${email.toLowerCase()}`,
        ne(directoryUsers.status, 'deleted'),
        exceptUserId ? ne(directoryUsers.id, exceptUserId) : undefined,
      ),
    ).limit(1))[0];
  if (taken) {
    throw new AppError('conflict', 'The address is already used.', {
      primaryEmail: 'Another user already has this address.',
    });
  }
}

async function checkOrgUnit(db: DbOrTx, orgUnitId: string): Promise<void> {
  if (!await findOrgUnit(db, orgUnitId)) {
    throw new AppError('validation_failed', 'The organisational unit does not exist.', {
      orgUnitId: 'Choose an existing organisational unit.',
    });
  }
}

export async function createUser(db: AppDatabase, clock: Clock, actor: Actor, input: UserInputParsed): Promise<DirectoryUserDetail> {
  const id = randomUUID();
  await transaction(db, async (tx) => {
    await checkEmail(tx, input.primaryEmail);
    await checkOrgUnit(tx, input.orgUnitId);
    const now = clock.now();
    const row = (await tx
      .insert(directoryUsers)
      .values({
        id,
        primaryEmail: input.primaryEmail,
        givenName: input.givenName,
        familyName: input.familyName,
        orgUnitId: input.orgUnitId,
        status: 'active',
        photoUrl: input.photoUrl ?? null,
        jobTitle: input.jobTitle ?? null,
        department: input.department ?? null,
        phone: input.phone ?? null,
        employeeId: input.employeeId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning())[0]!;
    await recordChange(tx, actor, now, {
      entityKind: 'user',
      entityId: id,
      action: 'created',
      summary: `Created user ${row.primaryEmail}`,
      after: snapshot(row),
    });
  });
  return await getUser(db, id);
}

export async function updateUser(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  id: string,
  patch: Partial<UserInputParsed>,
): Promise<DirectoryUserDetail> {
  await transaction(db, async (tx) => {
    const before = await requireUser(tx, id);
    if (before.status === 'deleted') throw new AppError('conflict', 'A deleted user cannot be changed.');
    if (patch.primaryEmail !== undefined) await checkEmail(tx, patch.primaryEmail, id);
    if (patch.orgUnitId !== undefined) await checkOrgUnit(tx, patch.orgUnitId);
    const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const after = (await tx
      .update(directoryUsers)
      .set({ ...values, updatedAt: clock.now() })
      .where(eq(directoryUsers.id, id))
      .returning())[0]!;
    const was = snapshot(before);
    const now = snapshot(after);
    const changed = (Object.keys(now) as (keyof typeof now)[]).filter((k) => was[k] !== now[k]);
    if (changed.length === 0) return;
    await recordChange(tx, actor, after.updatedAt, {
      entityKind: 'user',
      entityId: id,
      action: 'updated',
      summary: `Updated ${changed.join(', ')} of ${after.primaryEmail}`,
      before: Object.fromEntries(changed.map((k) => [k, was[k]])),
      after: Object.fromEntries(changed.map((k) => [k, now[k]])),
    });
  });
  return await getUser(db, id);
}

type StatusAction = 'suspend' | 'restore' | 'archive' | 'delete';

const transitions: Record<StatusAction, { from: UserStatus[]; to: UserStatus; verb: string }> = {
  suspend: { from: ['active'], to: 'suspended', verb: 'Suspended' },
  restore: { from: ['suspended', 'archived'], to: 'active', verb: 'Restored' },
  archive: { from: ['active', 'suspended'], to: 'archived', verb: 'Archived' },
  delete: { from: ['active', 'suspended', 'archived'], to: 'deleted', verb: 'Deleted' },
};

const changeActionOf = {
  suspend: 'suspended',
  restore: 'restored',
  archive: 'archived',
  delete: 'deleted',
} as const;

export async function changeUserStatus(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  id: string,
  action: StatusAction,
): Promise<DirectoryUserDetail> {
  const rule = transitions[action];
  await transaction(db, async (tx) => {
    const before = await requireUser(tx, id);
    if (!rule.from.includes(before.status)) {
      throw new AppError('conflict', `A user who is ${before.status} cannot be ${rule.to === 'active' ? 'restored' : rule.to}.`);
    }
    const now = clock.now();
    await tx.update(directoryUsers)
      .set({ status: rule.to, updatedAt: now, deletedAt: rule.to === 'deleted' ? now : null })
      .where(eq(directoryUsers.id, id));
    await recordChange(tx, actor, now, {
      entityKind: 'user',
      entityId: id,
      action: changeActionOf[action],
      summary: `${rule.verb} ${before.primaryEmail}`,
      before: { status: before.status },
      after: { status: rule.to },
    });
  });
  return await getUser(db, id);
}
