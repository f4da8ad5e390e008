import { index, integer, jsonb, pgTable, primaryKey, text, timestamp as pgTimestamp } from 'drizzle-orm/pg-core';
import { escrowKinds } from '@autoprov/contract/enums';
import { appConfigurations } from './provisioning.js';

// PostgreSQL twin of ../schema/escrow.ts: same tables, columns and row types (same-shape.test.ts).
const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true, precision: 3 });

/**
 * E-16: an operation that failed, kept per user and configuration until it succeeds or is no
 * longer needed. A transient failure has a next attempt; a permanent refusal has none and waits
 * for the operation to change (the user's data changed) or for a super-admin to ask.
 */
export const escrowedOperations = pgTable(
  'escrowed_operations',
  {
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    directoryUserId: text('directory_user_id').notNull(),
    userEmail: text('user_email').notNull(),
    /** The operation kind that failed (`create`, `suspend`, …). */
    operation: text('operation').notNull(),
    kind: text('kind', { enum: escrowKinds }).notNull(),
    /** What the operation would send, so a permanent refusal is tried again only once it changes. */
    fingerprint: text('fingerprint').notNull(),
    attempts: integer('attempts').notNull(),
    lastError: text('last_error').notNull(),
    firstFailedAt: timestamp('first_failed_at').notNull(),
    lastAttemptAt: timestamp('last_attempt_at').notNull(),
    /** Null: not retried by the schedule (a permanent refusal, or past the last retry). */
    nextAttemptAt: timestamp('next_attempt_at'),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.directoryUserId] }), index('escrowed_operations_due_idx').on(t.configurationId, t.nextAttemptAt)],
);

/**
 * E-17: how an app has been answering lately. `failingStreak` counts attempts in a row that found
 * it unreachable; from a threshold the configuration is quarantined and only probed.
 */
export const configurationHealth = pgTable('configuration_health', {
  configurationId: text('configuration_id')
    .primaryKey()
    .references(() => appConfigurations.id, { onDelete: 'cascade' }),
  failingStreak: integer('failing_streak').notNull().default(0),
  /** Scheduled full runs wait until then after a run that could not reach the app. */
  backoffUntil: timestamp('backoff_until'),
  quarantinedAt: timestamp('quarantined_at'),
  quarantineReason: text('quarantine_reason'),
  /** The last errors seen, newest first (a few). */
  recentErrors: jsonb('recent_errors').$type<{ at: string; message: string }[]>().notNull().default([]),
  probes: integer('probes').notNull().default(0),
  lastProbeAt: timestamp('last_probe_at'),
  nextProbeAt: timestamp('next_probe_at'),
});
