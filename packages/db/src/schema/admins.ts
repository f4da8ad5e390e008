import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { adminRoles } from '@autoprov/contract/enums';

export const admins = sqliteTable('admins', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: adminRoles }).notNull(),
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` */
  passwordHash: text('password_hash').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  lastSignInAt: integer('last_sign_in_at', { mode: 'timestamp_ms' }),
  /** The TOTP seed (RFC 6238), sealed with the SecretBox; null while two-factor sign-in is off. */
  totpSecret: text('totp_secret'),
  /** A seed shown to the admin but not yet confirmed with a code. */
  totpPendingSecret: text('totp_pending_secret'),
  /** The last 30-second step a code was accepted for: a code works once (RFC 6238 §5.2). */
  totpLastStep: integer('totp_last_step'),
});

/** One-time codes that stand in for the authenticator; only their SHA-256 is kept. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('recovery_codes_admin_idx').on(t.adminId)],
);

/** One-time password reset links (issued by a super-admin or by `reset-admin` on the server). */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    /** SHA-256 of the link's token. */
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    /** An admin's id, or `server` for the command run on the server. */
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    /** Also turns two-factor sign-in off (a lost authenticator). */
    clearsTwoFactor: integer('clears_two_factor', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('password_resets_admin_idx').on(t.adminId)],
);

/** Failed sign-in counters (per account, per address group, per trusted device), kept across restarts. */
export const signInThrottle = sqliteTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: integer('last_failure_at', { mode: 'timestamp_ms' }).notNull(),
  /** No attempt under this key is checked before this time. */
  blockedUntil: integer('blocked_until', { mode: 'timestamp_ms' }).notNull(),
});

/** Sign-in rules a super-admin sets; one row (id 1). */
export const securitySettings = sqliteTable('security_settings', {
  id: integer('id').primaryKey(),
  requireTwoFactor: integer('require_two_factor', { mode: 'boolean' }).notNull().default(false),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token: a leaked database does not leak live sessions. */
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** The admin's own last action (not background polling); idle sessions end from here. */
    lastActiveAt: integer('last_active_at', { mode: 'timestamp_ms' }).notNull().default(sql`0`),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_admin_idx').on(t.adminId)],
);
