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
  type DbOrTx,
} from '@autoprov/db';
import type { Actor, Clock } from './actor.js';
import { recordChange } from './changes.js';
import { domainOf, findOrgUnit, getOrganisation, isOrganisationDomain } from './organisation.js';
import { contains, offsetOf } from './search.js';

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

export function listUsers(db: DbOrTx, query: UserListQuery): Page<DirectoryUser> {
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
  const total = db.select({ n: sql<number>`count(*)` }).from(directoryUsers).where(where).get()?.n ?? 0;
  const rows = db
    .select(userColumns)
    .from(directoryUsers)
    .innerJoin(orgUnits, eq(orgUnits.id, directoryUsers.orgUnitId))
    .where(where)
    .orderBy(asc(directoryUsers.familyName), asc(directoryUsers.givenName), asc(directoryUsers.id))
    .limit(query.pageSize)
    .offset(offsetOf(query.page, query.pageSize))
    .all();
  return { items: rows.map(toUser), total, page: query.page, pageSize: query.pageSize };
}

export function getUser(db: DbOrTx, id: string): DirectoryUserDetail {
  const row = db
    .select(userColumns)
    .from(directoryUsers)
    .innerJoin(orgUnits, eq(orgUnits.id, directoryUsers.orgUnitId))
    .where(eq(directoryUsers.id, id))
    .get();
  if (!row) throw new AppError('not_found', 'This user does not exist.');
  const groups = db
    .select({ id: directoryGroups.id, email: directoryGroups.email, name: directoryGroups.name })
    .from(groupMembers)
    .innerJoin(directoryGroups, eq(directoryGroups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, id))
    .orderBy(asc(directoryGroups.name))
    .all();
  return { ...toUser(row), groups };
}

function requireUser(db: DbOrTx, id: string): UserRow {
  const user = db.select().from(directoryUsers).where(eq(directoryUsers.id, id)).get();
  if (!user) throw new AppError('not_found', 'This user does not exist.');
  return user;
}

function checkEmail(db: DbOrTx, email: string, exceptUserId?: string): void {
  if (!isOrganisationDomain(db, email)) {
    const domains = getOrganisation(db)?.domains.map((d) => d.name).join(', ') ?? '';
    throw new AppError('validation_failed', 'The address is not in the organisation.', {
      primaryEmail: `Use an address in one of the organisation's domains (${domains}); ${domainOf(email)} is not one of them.`,
    });
  }
  const taken = db
    .select({ id: directoryUsers.id })
    .from(directoryUsers)
    .where(
      and(
        sql`lower(${directoryUsers.primaryEmail}) = ${email.toLowerCase()}`,
        ne(directoryUsers.status, 'deleted'),
        exceptUserId ? ne(directoryUsers.id, exceptUserId) : undefined,
      ),
    )
    .get();
  if (taken) {
    throw new AppError('conflict', 'The address is already used.', {
      primaryEmail: 'Another user already has this address.',
    });
  }
}

function checkOrgUnit(db: DbOrTx, orgUnitId: string): void {
  if (!findOrgUnit(db, orgUnitId)) {
    throw new AppError('validation_failed', 'The organisational unit does not exist.', {
      orgUnitId: 'Choose an existing organisational unit.',
    });
  }
}

export function createUser(db: AppDatabase, clock: Clock, actor: Actor, input: UserInputParsed): DirectoryUserDetail {
  const id = randomUUID();
  db.transaction((tx) => {
    checkEmail(tx, input.primaryEmail);
    checkOrgUnit(tx, input.orgUnitId);
    const now = clock.now();
    const row = tx
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
      .returning()
      .get();
    recordChange(tx, actor, now, {
      entityKind: 'user',
      entityId: id,
      action: 'created',
      summary: `Created user ${row.primaryEmail}`,
      after: snapshot(row),
    });
  });
  return getUser(db, id);
}

export function updateUser(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  id: string,
  patch: Partial<UserInputParsed>,
): DirectoryUserDetail {
  db.transaction((tx) => {
    const before = requireUser(tx, id);
    if (before.status === 'deleted') throw new AppError('conflict', 'A deleted user cannot be changed.');
    if (patch.primaryEmail !== undefined) checkEmail(tx, patch.primaryEmail, id);
    if (patch.orgUnitId !== undefined) checkOrgUnit(tx, patch.orgUnitId);
    const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const after = tx
      .update(directoryUsers)
      .set({ ...values, updatedAt: clock.now() })
      .where(eq(directoryUsers.id, id))
      .returning()
      .get();
    const was = snapshot(before);
    const now = snapshot(after);
    const changed = (Object.keys(now) as (keyof typeof now)[]).filter((k) => was[k] !== now[k]);
    if (changed.length === 0) return;
    recordChange(tx, actor, after.updatedAt, {
      entityKind: 'user',
      entityId: id,
      action: 'updated',
      summary: `Updated ${changed.join(', ')} of ${after.primaryEmail}`,
      before: Object.fromEntries(changed.map((k) => [k, was[k]])),
      after: Object.fromEntries(changed.map((k) => [k, now[k]])),
    });
  });
  return getUser(db, id);
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

export function changeUserStatus(
  db: AppDatabase,
  clock: Clock,
  actor: Actor,
  id: string,
  action: StatusAction,
): DirectoryUserDetail {
  const rule = transitions[action];
  db.transaction((tx) => {
    const before = requireUser(tx, id);
    if (!rule.from.includes(before.status)) {
      throw new AppError('conflict', `A user who is ${before.status} cannot be ${rule.to === 'active' ? 'restored' : rule.to}.`);
    }
    const now = clock.now();
    tx.update(directoryUsers)
      .set({ status: rule.to, updatedAt: now, deletedAt: rule.to === 'deleted' ? now : null })
      .where(eq(directoryUsers.id, id))
      .run();
    recordChange(tx, actor, now, {
      entityKind: 'user',
      entityId: id,
      action: changeActionOf[action],
      summary: `${rule.verb} ${before.primaryEmail}`,
      before: { status: before.status },
      after: { status: rule.to },
    });
  });
  return getUser(db, id);
}
