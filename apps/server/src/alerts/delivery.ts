import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AlertChannel, AlertDelivery } from '@autoprov/contract';
import type { DeliverySettings } from './settings.js';

export interface AlertMessage {
  subject: string;
  text: string;
  /** The webhook's JSON body. */
  payload: Record<string, unknown>;
}

export interface RetryPolicy {
  /** Waits before the 2nd, 3rd, … attempt. */
  delaysMs: readonly number[];
}

/** Three attempts over about half a minute: long enough for a blip, short enough to report. */
export const defaultRetryPolicy: RetryPolicy = { delaysMs: [2_000, 10_000, 20_000] };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tries `send` until it works or the policy runs out; says how it went (never throws). */
async function withRetries(channel: AlertChannel, to: string, policy: RetryPolicy, send: () => Promise<void>): Promise<AlertDelivery> {
  let attempts = 0;
  let error: string | null = null;
  for (;;) {
    attempts++;
    try {
      await send();
      return { channel, to, ok: true, attempts, at: new Date().toISOString(), error: null };
    } catch (err) {
      error = (err as Error).message || String(err);
    }
    const wait = policy.delaysMs[attempts - 1];
    if (wait === undefined) return { channel, to, ok: false, attempts, at: new Date().toISOString(), error };
    await sleep(wait);
  }
}

/** One e-mail to all recipients, with nodemailer over the configured SMTP server. */
export async function sendAlertEmail(smtp: NonNullable<DeliverySettings['smtp']>, recipients: string[], message: AlertMessage, policy: RetryPolicy): Promise<AlertDelivery> {
  const to = recipients.join(', ');
  if (recipients.length === 0) return { channel: 'email', to: '', ok: false, attempts: 0, at: new Date().toISOString(), error: 'Nobody to send to: add recipients or a super-admin.' };
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    return await withRetries('email', to, policy, async () => {
      await transport.sendMail({ from: smtp.from, to: recipients, subject: message.subject, text: message.text });
    });
  } finally {
    transport.close();
  }
}

export const signatureHeader = 'x-autoprov-signature';
export const timestampHeader = 'x-autoprov-timestamp';

/**
 * The webhook signature: HMAC-SHA256 with the shared secret over `<timestamp>.<raw body>`, in
 * hex. Signing the timestamp too lets a receiver refuse an old request replayed.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** POSTs the payload as JSON, signed; anything but a 2xx is a failed attempt. */
export async function postAlertWebhook(webhook: NonNullable<DeliverySettings['webhook']>, message: AlertMessage, policy: RetryPolicy): Promise<AlertDelivery> {
  const body = JSON.stringify(message.payload);
  return withRetries('webhook', webhook.url, policy, async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(webhook.url, {
      method: 'POST',
      // A redirect would send the signed alert somewhere nobody configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
      headers: { 'content-type': 'application/json', 'user-agent': 'autoprov-alerts', [timestampHeader]: timestamp, [signatureHeader]: signWebhook(webhook.secret, timestamp, body) },
      body,
    });
    await res.body?.cancel();
    if (res.status < 200 || res.status > 299) throw new Error(`The webhook answered ${res.status}.`);
  });
}
