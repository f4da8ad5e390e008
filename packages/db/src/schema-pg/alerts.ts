import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp as pgTimestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { alertKinds } from '@autoprov/contract/enums';
import type { StoredAlertDelivery } from '../schema/alerts.js';
import { appConfigurations } from './provisioning.js';

// PostgreSQL twin of ../schema/alerts.ts: same tables, columns and row types (same-shape.test.ts).
const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true, precision: 3 });

// One definition for both schemas (a type only: nothing of the SQLite schema is loaded).
export type { StoredAlertDelivery };

/** L-7: where alerts go. One row (id 1); secrets sealed with the SecretBox (S-2). */
export const alertSettings = pgTable('alert_settings', {
  // Defaults to the one row's id: SQLite's integer primary key (a rowid) may be left out on insert too.
  id: integer('id').primaryKey().default(1),
  smtpHost: text('smtp_host').notNull().default(''),
  smtpPort: integer('smtp_port').notNull().default(587),
  smtpSecure: boolean('smtp_secure').notNull().default(false),
  smtpUser: text('smtp_user').notNull().default(''),
  sealedSmtpPassword: text('sealed_smtp_password'),
  smtpFrom: text('smtp_from').notNull().default(''),
  /** Comma-separated; empty: every super-admin. */
  recipients: text('recipients').notNull().default(''),
  webhookUrl: text('webhook_url').notNull().default(''),
  sealedWebhookSecret: text('sealed_webhook_secret'),
  updatedAt: timestamp('updated_at').notNull().defaultNow(),
});

/**
 * L-7: one row per episode of a condition (a configuration needing re-authorization, a held
 * run, …): opened when it starts, ended when it clears. At most one open episode per
 * configuration and kind, so an alert goes out once per episode even across processes.
 */
export const alertEpisodes = pgTable(
  'alert_episodes',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: alertKinds }).notNull(),
    configurationId: text('configuration_id')
      .notNull()
      .references(() => appConfigurations.id, { onDelete: 'cascade' }),
    appKey: text('app_key').notNull(),
    runId: text('run_id'),
    message: text('message').notNull(),
    startedAt: timestamp('started_at').notNull(),
    endedAt: timestamp('ended_at'),
    deliveries: jsonb('deliveries').$type<StoredAlertDelivery[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('alert_episodes_open_idx').on(t.configurationId, t.kind).where(sql`${t.endedAt} is null`),
    index('alert_episodes_started_idx').on(t.startedAt),
  ],
);
