import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The one organisation (GoTo "account") this demo app hosts. */
export const account = sqliteTable('account', {
  id: integer('id').primaryKey(),
  accountKey: text('account_key').notNull(),
  adminEmail: text('admin_email').notNull(),
  adminPasswordHash: text('admin_password_hash').notNull(),
  /** The provider's signing key and cookie key, made on first start so restarts keep sessions. */
  signingJwk: text('signing_jwk', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  cookieKey: text('cookie_key').notNull(),
});

export const verifiedDomains = sqliteTable('verified_domains', {
  name: text('name').primaryKey(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    userName: text('user_name').notNull(),
    /** The SCIM resource as last written, minus id and meta. */
    resource: text('resource', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    productAccess: text('product_access').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('users_user_name_idx').on(sql`lower(${t.userName})`)],
);

export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  members: text('members', { mode: 'json' }).$type<{ value: string }[]>().notNull().default([]),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Welcome e-mails (seed 002): kept here instead of being sent, shown on the outbox page. */
export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  setPasswordToken: text('set_password_token').notNull().unique(),
  tokenUsedAt: integer('token_used_at', { mode: 'timestamp_ms' }),
  userId: text('user_id').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

export const userPasswords = sqliteTable('user_passwords', {
  userId: text('user_id').primaryKey(),
  passwordHash: text('password_hash').notNull(),
});

/** oidc-provider's storage: grants, codes and tokens survive restarts and can be revoked at once. */
export const oidcStore = sqliteTable(
  'oidc_store',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    userCode: text('user_code'),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    consumedAt: integer('consumed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('oidc_store_pk').on(t.model, t.id), index('oidc_store_grant_idx').on(t.grantId), index('oidc_store_uid_idx').on(t.uid)],
);

export const adminSessions = sqliteTable('admin_sessions', {
  id: text('id').primaryKey(),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
});
