import { z } from 'zod';
import { hiddenCharacterProblem, isoDateSchema } from './common.js';
import { alertChannels, alertKinds, type AlertKind } from './enums.js';


export const alertKindLabels: Record<AlertKind, string> = {
  needs_reauthorization: 'Needs re-authorization',
  quarantined: 'Quarantined',
  run_held: 'Run held by the deletion guard',
  run_partly_failed: 'Run partly failed',
};


const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = hiddenCharacterProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const emailList = plainText(2000).superRefine((value, ctx) => {
  const bad = splitRecipients(value).filter((e) => !z.email().safeParse(e).success);
  if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `Not an e-mail address: ${bad.join(', ')}` });
});

/** Recipients as typed (commas, semicolons or spaces between them). */
export function splitRecipients(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
}

/**
 * L-7 settings as the console's form sends them. Empty host: no e-mail; empty webhook URL: no
 * webhook. An empty password keeps the stored one (it is never sent back to the browser, S-2).
 */
export const alertSettingsInputSchema = z
  .object({
    smtpHost: plainText(253),
    smtpPort: z.number({ message: 'Enter a port' }).int('Enter a whole number').min(1, 'From 1 to 65535').max(65535, 'From 1 to 65535'),
    /** TLS from the start (usually port 465); otherwise STARTTLS when the server offers it. */
    smtpSecure: z.boolean(),
    smtpUser: plainText(254),
    smtpPassword: z.string().max(500, 'At most 500 characters'),
    /** Clears the stored password (an empty field keeps it). */
    clearSmtpPassword: z.boolean().optional(),
    smtpFrom: plainText(254),
    /** Empty: every super-admin's e-mail. */
    recipients: emailList,
    webhookUrl: plainText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.smtpHost && !z.email().safeParse(v.smtpFrom).success) {
      ctx.addIssue({ code: 'custom', path: ['smtpFrom'], message: 'Enter the sender address e-mails come from' });
    }
    if (v.webhookUrl) {
      let url: URL | null = null;
      try {
        url = new URL(v.webhookUrl);
      } catch {
        url = null;
      }
      if (!url || !['http:', 'https:'].includes(url.protocol)) {
        ctx.addIssue({ code: 'custom', path: ['webhookUrl'], message: 'Enter an http or https address' });
      } else if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', path: ['webhookUrl'], message: 'Leave credentials out of the address: the request is signed' });
      }
    }
  });
export type AlertSettingsInput = z.infer<typeof alertSettingsInputSchema>;

export const alertSettingsSchema = z.object({
  smtpHost: z.string(),
  smtpPort: z.number(),
  smtpSecure: z.boolean(),
  smtpUser: z.string(),
  smtpPasswordSet: z.boolean(),
  smtpFrom: z.string(),
  recipients: z.string(),
  /** Who e-mails go to now (the recipients, or every super-admin). */
  effectiveRecipients: z.array(z.string()),
  webhookUrl: z.string(),
  webhookSecretSet: z.boolean(),
  /** Only in the answer that created or replaced the secret: it is shown once. */
  webhookSecret: z.string().optional(),
});
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const alertDeliverySchema = z.object({
  channel: z.enum(alertChannels),
  /** An e-mail address or the webhook's URL. */
  to: z.string(),
  ok: z.boolean(),
  attempts: z.number(),
  at: isoDateSchema,
  error: z.string().nullable(),
});
export type AlertDelivery = z.infer<typeof alertDeliverySchema>;

/** One alert: an episode of a condition, from when it started to when it ended (L-7). */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(alertKinds),
  appKey: z.string(),
  appName: z.string(),
  message: z.string(),
  startedAt: isoDateSchema,
  endedAt: isoDateSchema.nullable(),
  /** The console page the alert links to. */
  link: z.string(),
  deliveries: z.array(alertDeliverySchema),
});
export type Notification = z.infer<typeof notificationSchema>;

export const testDeliveryResultSchema = z.object({ delivery: alertDeliverySchema });
export type TestDeliveryResult = z.infer<typeof testDeliveryResultSchema>;
