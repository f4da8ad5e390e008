import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp as pgTimestamp } from 'drizzle-orm/pg-core';
import { adminRoles } from '@autoprov/contract/enums';

// PostgreSQL twin of ../schema/admins.ts: same tables, columns and row types (same-shape.test.ts).
const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true, precision: 3 });

export const admins = pgTable('admins', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: adminRoles }).notNull(),
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` */
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at').notNull().defaultNow(),
  lastSignInAt: timestamp('last_sign_in_at'),
  /** The TOTP seed (RFC 6238), sealed with the SecretBox; null while two-factor sign-in is off. */
  totpSecret: text('totp_secret'),
  /** A seed shown to the admin but not yet confirmed with a code. */
  totpPendingSecret: text('totp_pending_secret'),
  /** The last 30-second step a code was accepted for: a code works once (RFC 6238 §5.2). */
  totpLastStep: integer('totp_last_step'),
});

/** One-time codes that stand in for the authenticator; only their SHA-256 is kept. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at'),
  },
  (t) => [index('recovery_codes_admin_idx').on(t.adminId)],
);

/** One-time password reset links (issued by a super-admin or by `reset-admin` on the server). */
export const passwordResets = pgTable(
  'password_resets',
  {
    /** SHA-256 of the link's token. */
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    /** An admin's id, or `server` for the command run on the server. */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    /** Also turns two-factor sign-in off (a lost authenticator). */
    clearsTwoFactor: boolean('clears_two_factor').notNull().default(false),
  },
  (t) => [index('password_resets_admin_idx').on(t.adminId)],
);

/** Failed sign-in counters (per account, per address group, per trusted device), kept across restarts. */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at').notNull(),
  /** No attempt under this key is checked before this time. */
  blockedUntil: timestamp('blocked_until').notNull(),
});

/** Sign-in rules a super-admin sets; one row (id 1). */
export const securitySettings = pgTable('security_settings', {
  // Defaults to the one row's id: SQLite's integer primary key (a rowid) may be left out on insert too.
  id: integer('id').primaryKey().default(1),
  requireTwoFactor: boolean('require_two_factor').notNull().default(false),
});

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token: a leaked database does not leak live sessions. */
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    /** The admin's own last action (not background polling); idle sessions end from here. */
    lastActiveAt: timestamp('last_active_at').notNull().default(sql`to_timestamp(0)`),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_admin_idx').on(t.adminId)],
);
