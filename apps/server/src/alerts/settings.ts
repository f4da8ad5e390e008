import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { splitRecipients, type AlertSettings, type AlertSettingsInput } from '@autoprov/contract';
import { admins, alertSettings, type AppDatabase } from '@autoprov/db';
import type { SecretBox } from '@autoprov/secrets';

type Row = typeof alertSettings.$inferSelect;

// Sealed under their own contexts, so one secret cannot be passed off as the other (S-2).
const passwordContext = 'alerts:smtp-password';
const webhookContext = 'alerts:webhook-secret';

/** The stored settings (defaults until a super-admin saves them). */
export async function readAlertRow(db: AppDatabase): Promise<Row> {
  return (
    (await db.select().from(alertSettings).where(eq(alertSettings.id, 1)).limit(1))[0] ?? {
      id: 1,
      smtpHost: '',
      smtpPort: 587,
      smtpSecure: false,
      smtpUser: '',
      sealedSmtpPassword: null,
      smtpFrom: '',
      recipients: '',
      webhookUrl: '',
      sealedWebhookSecret: null,
      updatedAt: new Date(0),
    }
  );
}

/** Who alert e-mails go to: the recipients set, or every super-admin (L-7). */
export async function recipientsOf(db: AppDatabase, row: Row): Promise<string[]> {
  const listed = splitRecipients(row.recipients);
  if (listed.length > 0) return listed;
  return (await db
    .select({ email: admins.email })
    .from(admins)
    .where(eq(admins.role, 'super_admin')))
    .map((a) => a.email);
}

export async function toAlertSettings(db: AppDatabase, row: Row): Promise<AlertSettings> {
  return {
    smtpHost: row.smtpHost,
    smtpPort: row.smtpPort,
    smtpSecure: row.smtpSecure,
    smtpUser: row.smtpUser,
    smtpPasswordSet: row.sealedSmtpPassword !== null,
    smtpFrom: row.smtpFrom,
    recipients: row.recipients,
    effectiveRecipients: await recipientsOf(db, row),
    webhookUrl: row.webhookUrl,
    webhookSecretSet: row.sealedWebhookSecret !== null,
  };
}

export interface DeliverySettings {
  smtp: { host: string; port: number; secure: boolean; user: string; password: string | null; from: string } | null;
  recipients: string[];
  webhook: { url: string; secret: string } | null;
}

/** The settings with their secrets opened, for delivery only (never for the browser). */
export async function deliverySettings(db: AppDatabase, secrets: SecretBox): Promise<DeliverySettings> {
  const row = await readAlertRow(db);
  return {
    smtp: row.smtpHost
      ? {
          host: row.smtpHost,
          port: row.smtpPort,
          secure: row.smtpSecure,
          user: row.smtpUser,
          password: row.sealedSmtpPassword ? secrets.open(row.sealedSmtpPassword, passwordContext) : null,
          from: row.smtpFrom,
        }
      : null,
    recipients: await recipientsOf(db, row),
    webhook: row.webhookUrl && row.sealedWebhookSecret ? { url: row.webhookUrl, secret: secrets.open(row.sealedWebhookSecret, webhookContext) } : null,
  };
}

export const newWebhookSecret = () => randomBytes(32).toString('hex');

/**
 * Saves the settings. A webhook URL set for the first time gets a generated secret, returned
 * once in the answer; an empty password field keeps the stored password.
 */
export async function writeAlertSettings(db: AppDatabase, secrets: SecretBox, input: AlertSettingsInput, now: Date): Promise<AlertSettings> {
  const current = await readAlertRow(db);
  let sealedSmtpPassword = current.sealedSmtpPassword;
  if (input.clearSmtpPassword) sealedSmtpPassword = null;
  else if (input.smtpPassword) sealedSmtpPassword = secrets.seal(input.smtpPassword, passwordContext);
  let webhookSecret: string | undefined;
  let sealedWebhookSecret = current.sealedWebhookSecret;
  if (input.webhookUrl && !sealedWebhookSecret) {
    webhookSecret = newWebhookSecret();
    sealedWebhookSecret = secrets.seal(webhookSecret, webhookContext);
  }
  const values = {
    smtpHost: input.smtpHost,
    smtpPort: input.smtpPort,
    smtpSecure: input.smtpSecure,
    smtpUser: input.smtpUser,
    sealedSmtpPassword,
    smtpFrom: input.smtpFrom,
    recipients: input.recipients,
    webhookUrl: input.webhookUrl,
    sealedWebhookSecret,
    updatedAt: now,
  };
  const row = (await db
    .insert(alertSettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: alertSettings.id, set: values })
    .returning())[0]!;
  return { ...await toAlertSettings(db, row), ...(webhookSecret ? { webhookSecret } : {}) };
}

/** A new webhook secret, returned once; the receiver must be given it. */
export async function replaceWebhookSecret(db: AppDatabase, secrets: SecretBox, now: Date): Promise<AlertSettings> {
  const current = await readAlertRow(db);
  const webhookSecret = newWebhookSecret();
  const sealedWebhookSecret = secrets.seal(webhookSecret, webhookContext);
  const row = (await db
    .insert(alertSettings)
    .values({ ...current, id: 1, sealedWebhookSecret, updatedAt: now })
    .onConflictDoUpdate({ target: alertSettings.id, set: { sealedWebhookSecret, updatedAt: now } })
    .returning())[0]!;
  return { ...await toAlertSettings(db, row), webhookSecret };
}
