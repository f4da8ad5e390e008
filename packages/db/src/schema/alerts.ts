import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { alertKinds, type AlertChannel } from '@autoprov/contract/enums';
import { appConfigurations } from './provisioning.js';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** L-7: where alerts go. One row (id 1); secrets sealed with the SecretBox (S-2). */
export const alertSettings = sqliteTable('alert_settings', {
  id: integer('id').primaryKey(),
  smtpHost: text('smtp_host').notNull().default(''),
  smtpPort: integer('smtp_port').notNull().default(587),
  smtpSecure: integer('smtp_secure', { mode: 'boolean' }).notNull().default(false),
  smtpUser: text('smtp_user').notNull().default(''),
  sealedSmtpPassword: text('sealed_smtp_password'),
  smtpFrom: text('smtp_from').notNull().default(''),
  /** Comma-separated; empty: every super-admin. */
  recipients: text('recipients').notNull().default(''),
  webhookUrl: text('webhook_url').notNull().default(''),
  sealedWebhookSecret: text('sealed_webhook_secret'),
  updatedAt: timestamp('updated_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

export interface StoredAlertDelivery {
  channel: AlertChannel;
  to: string;
  ok: boolean;
  attempts: number;
  at: string;
  error: string | null;
}

/**
 * L-7: one row per episode of a condition (a configuration needing re-authorization, a held
 * run, …): opened when it starts, ended when it clears. At most one open episode per
 * configuration and kind, so an alert goes out once per episode even across processes.
 */
export const alertEpisodes = sqliteTable(
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
    deliveries: text('deliveries', { mode: 'json' }).$type<StoredAlertDelivery[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('alert_episodes_open_idx').on(t.configurationId, t.kind).where(sql`${t.endedAt} is null`),
    index('alert_episodes_started_idx').on(t.startedAt),
  ],
);
