import { Hono } from 'hono';
import { alertSettingsInputSchema, type AlertSettings, type Notification, type TestDeliveryResult } from '@autoprov/contract';
import { readAlertRow, replaceWebhookSecret, toAlertSettings, writeAlertSettings } from '../alerts/settings.js';
import { requireAdmin } from '../auth/middleware.js';
import type { ServerDeps } from '../deps.js';
import { validate } from '../lib/validate.js';
import type { AppEnv } from '../types.js';

/**
 * L-7: alert settings and the notifications list. Every admin may read (S-1; secrets are never
 * sent, S-2); the write policy keeps every write to super-admins.
 */
export function alertsRoutes({ db, secrets, clock, logger, alerts }: ServerDeps) {
  return new Hono<AppEnv>()
    .use(requireAdmin)
    .get('/notifications', (c) => c.json({ items: alerts.list() satisfies Notification[] }))

    .get('/settings', (c) => c.json(toAlertSettings(db, readAlertRow(db)) satisfies AlertSettings))

    .put('/settings', validate('json', alertSettingsInputSchema), (c) => {
      const saved = writeAlertSettings(db, secrets, c.req.valid('json'), clock.now());
      logger.info({ by: c.var.session?.admin.id, smtp: saved.smtpHost !== '', webhook: saved.webhookUrl !== '' }, 'alert settings changed');
      return c.json(saved satisfies AlertSettings);
    })

    .post('/settings/webhook-secret', (c) => {
      const saved = replaceWebhookSecret(db, secrets, clock.now());
      logger.info({ by: c.var.session?.admin.id }, 'alert webhook secret replaced');
      return c.json(saved satisfies AlertSettings);
    })

    .post('/test-email', async (c) => c.json({ delivery: await alerts.testEmail() } satisfies TestDeliveryResult))

    .post('/test-webhook', async (c) => c.json({ delivery: await alerts.testWebhook() } satisfies TestDeliveryResult));
}
