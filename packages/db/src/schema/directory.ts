import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import {
  directoryChangeActions,
  directoryEntityKinds,
  domainKinds,
  groupMemberKinds,
  userStatuses,
} from '@autoprov/contract/enums';
import { admins } from './admins.js';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const organisation = sqliteTable('organisation', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const domains = sqliteTable('domains', {
  name: text('name').primaryKey(),
  kind: text('kind', { enum: domainKinds }).notNull(),
});

export const orgUnits = sqliteTable(
  'org_units',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id').references((): AnySQLiteColumn => orgUnits.id, {
      onDelete: 'restrict',
    }),
    name: text('name').notNull(),
    /** Full path, e.g. `/Engineering/Platform`; the root is `/`. */
    path: text('path').notNull().unique(),
    description: text('description'),
    /** G-1: Google's orgUnitId when the directory is Google Workspace; a rename keeps the row. */
    googleId: text('google_id'),
    createdAt: createdAt(),
  },
  (t) => [index('org_units_parent_idx').on(t.parentId), uniqueIndex('org_units_google_id_idx').on(t.googleId)],
);

export const directoryUsers = sqliteTable(
  'directory_users',
  {
    id: text('id').primaryKey(),
    primaryEmail: text('primary_email').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    status: text('status', { enum: userStatuses }).notNull().default('active'),
    orgUnitId: text('org_unit_id')
      .notNull()
      .references(() => orgUnits.id, { onDelete: 'restrict' }),
    photoUrl: text('photo_url'),
    jobTitle: text('job_title'),
    department: text('department'),
    phone: text('phone'),
    employeeId: text('employee_id'),
    /** G-1: Google's immutable user id; the address is only matched once, to fill it in. */
    googleId: text('google_id'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    // E-mail addresses are case-insensitive (RFC 5321 in practice; SCIM userName caseExact=false).
    // Deleted users stay (the engine deprovisions them) but free their address for reuse.
    uniqueIndex('directory_users_email_idx')
      .on(sql`lower(${t.primaryEmail})`)
      .where(sql`${t.status} <> 'deleted'`),
    index('directory_users_org_unit_idx').on(t.orgUnitId),
    uniqueIndex('directory_users_google_id_idx').on(t.googleId),
    index('directory_users_name_idx').on(t.familyName, t.givenName),
  ],
);

export const directoryGroups = sqliteTable(
  'directory_groups',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** G-1: Google's immutable group id; an address change keeps the row (and its scopes). */
    googleId: text('google_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('directory_groups_email_idx').on(sql`lower(${t.email})`), uniqueIndex('directory_groups_google_id_idx').on(t.googleId)],
);

export const groupMembers = sqliteTable(
  'group_members',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => directoryGroups.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: groupMemberKinds }).notNull(),
    userId: text('user_id').references(() => directoryUsers.id, { onDelete: 'cascade' }),
    memberGroupId: text('member_group_id').references(() => directoryGroups.id, {
      onDelete: 'cascade',
    }),
    /** Members from outside the organisation are known by their address only. */
    externalEmail: text('external_email'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('group_members_user_idx').on(t.groupId, t.userId),
    uniqueIndex('group_members_group_idx').on(t.groupId, t.memberGroupId),
    uniqueIndex('group_members_external_idx').on(t.groupId, sql`lower(${t.externalEmail})`),
    index('group_members_by_user_idx').on(t.userId),
    index('group_members_by_member_group_idx').on(t.memberGroupId),
    check(
      'group_members_one_target',
      sql`(${t.kind} = 'user' and ${t.userId} is not null and ${t.memberGroupId} is null and ${t.externalEmail} is null)
        or (${t.kind} = 'group' and ${t.memberGroupId} is not null and ${t.userId} is null and ${t.externalEmail} is null)
        or (${t.kind} = 'external' and ${t.externalEmail} is not null and ${t.userId} is null and ${t.memberGroupId} is null)`,
    ),
  ],
);

/**
 * Every change to the built-in directory, in order. The provisioning engine reads it by
 * increasing id (a cursor), so rows are only ever appended.
 */
export const directoryChanges = sqliteTable(
  'directory_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    occurredAt: integer('occurred_at', { mode: 'timestamp_ms' }).notNull(),
    /** Null when the change was made by autoprov itself (the demo seed). */
    actorAdminId: text('actor_admin_id').references(() => admins.id, { onDelete: 'set null' }),
    /** Kept as written so the record still says who after the admin is removed. */
    actorLabel: text('actor_label').notNull(),
    entityKind: text('entity_kind', { enum: directoryEntityKinds }).notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action', { enum: directoryChangeActions }).notNull(),
    summary: text('summary').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
  },
  (t) => [index('directory_changes_entity_idx').on(t.entityKind, t.entityId)],
);

/**
 * Where the directory comes from (seed 003: one directory at a time): the built-in one, or a
 * Google Workspace organisation read with a service account. A single row.
 */
export const directorySource = sqliteTable('directory_source', {
  id: integer('id').primaryKey(),
  kind: text('kind', { enum: ['built_in', 'google'] }).notNull().default('built_in'),
  /** Sealed service account key (S-2); never sent to the browser. */
  sealedKey: text('sealed_key'),
  clientEmail: text('client_email'),
  clientId: text('client_id'),
  adminEmail: text('admin_email'),
  primaryDomain: text('primary_domain'),
  /** The incremental read's position in the admin audit log. */
  changeCursor: text('change_cursor', { mode: 'json' }).$type<{ time: string; seen: string[] }>(),
  connectedAt: integer('connected_at', { mode: 'timestamp_ms' }),
  lastFullReadAt: integer('last_full_read_at', { mode: 'timestamp_ms' }),
  lastChangeReadAt: integer('last_change_read_at', { mode: 'timestamp_ms' }),
  lastError: text('last_error'),
  /** G-2: the part of the connection to change to fix it (`serviceAccountKey`, `adminEmail`). */
  lastErrorField: text('last_error_field', { enum: ['serviceAccountKey', 'adminEmail'] }),
  lastErrorAt: integer('last_error_at', { mode: 'timestamp_ms' }),
});
