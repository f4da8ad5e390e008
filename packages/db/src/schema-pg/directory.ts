import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp as pgTimestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  directoryChangeActions,
  directoryEntityKinds,
  domainKinds,
  groupMemberKinds,
  userStatuses,
} from '@autoprov/contract/enums';
import { admins } from './admins.js';

// PostgreSQL twin of ../schema/directory.ts: same tables, columns and row types (same-shape.test.ts).
const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true, precision: 3 });

const createdAt = () => timestamp('created_at').notNull().defaultNow();

export const organisation = pgTable('organisation', {
  // Defaults to the one row's id: SQLite's integer primary key (a rowid) may be left out on insert too.
  id: integer('id').primaryKey().default(1),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const domains = pgTable('domains', {
  name: text('name').primaryKey(),
  kind: text('kind', { enum: domainKinds }).notNull(),
});

export const orgUnits = pgTable(
  'org_units',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id').references((): AnyPgColumn => orgUnits.id, {
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

export const directoryUsers = pgTable(
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
    updatedAt: timestamp('updated_at').notNull().defaultNow(),
    deletedAt: timestamp('deleted_at'),
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

export const directoryGroups = pgTable(
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

export const groupMembers = pgTable(
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
export const directoryChanges = pgTable(
  'directory_changes',
  {
    // By default, not always: a copy from SQLite keeps its ids (the engines' cursors point at them).
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    occurredAt: timestamp('occurred_at').notNull(),
    /** Null when the change was made by autoprov itself (the demo seed). */
    actorAdminId: text('actor_admin_id').references(() => admins.id, { onDelete: 'set null' }),
    /** Kept as written so the record still says who after the admin is removed. */
    actorLabel: text('actor_label').notNull(),
    entityKind: text('entity_kind', { enum: directoryEntityKinds }).notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action', { enum: directoryChangeActions }).notNull(),
    summary: text('summary').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('directory_changes_entity_idx').on(t.entityKind, t.entityId)],
);

/**
 * Where the directory comes from (seed 003: one directory at a time): the built-in one, or a
 * Google Workspace organisation read with a service account. A single row.
 */
export const directorySource = pgTable('directory_source', {
  // Defaults to the one row's id: SQLite's integer primary key (a rowid) may be left out on insert too.
  id: integer('id').primaryKey().default(1),
  kind: text('kind', { enum: ['built_in', 'google'] }).notNull().default('built_in'),
  /** Sealed service account key (S-2); never sent to the browser. */
  sealedKey: text('sealed_key'),
  clientEmail: text('client_email'),
  clientId: text('client_id'),
  adminEmail: text('admin_email'),
  primaryDomain: text('primary_domain'),
  /** The incremental read's position in the admin audit log. */
  changeCursor: jsonb('change_cursor').$type<{ time: string; seen: string[] }>(),
  connectedAt: timestamp('connected_at'),
  lastFullReadAt: timestamp('last_full_read_at'),
  lastChangeReadAt: timestamp('last_change_read_at'),
  lastError: text('last_error'),
  /** G-2: the part of the connection to change to fix it (`serviceAccountKey`, `adminEmail`). */
  lastErrorField: text('last_error_field', { enum: ['serviceAccountKey', 'adminEmail'] }),
  lastErrorAt: timestamp('last_error_at'),
});
