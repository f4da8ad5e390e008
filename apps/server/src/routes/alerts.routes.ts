import { Hono } from 'hono';
import { routes } from '@autoprov/contract';
import { readAlertRow, replaceWebhookSecret, toAlertSettings, writeAlertSettings } from '../alerts/settings.js';
import { requireAdmin } from '../auth/middleware.js';
import type { ServerDeps } from '../deps.js';
import { routesOn } from '../lib/route.js';
import type { AppEnv } from '../types.js';

/**
 * L-7: alert settings and the notifications list. Every admin may read (S-1; secrets are never
 * sent, S-2); the write policy keeps every write to super-admins.
 */
export function alertsRoutes({ db, secrets, clock, logger, alerts }: ServerDeps) {
  const router = new Hono<AppEnv>().use(requireAdmin);
  const on = routesOn(router, '/api/alerts');

  on(routes.notifications, async () => ({ items: await alerts.list() }));

  on(routes.alertSettings, async () => await toAlertSettings(db, await readAlertRow(db)));

  on(routes.saveAlertSettings, async (c, { body }) => {
    const saved = await writeAlertSettings(db, secrets, body, clock.now());
    logger.info({ by: c.var.session?.admin.id, smtp: saved.smtpHost !== '', webhook: saved.webhookUrl !== '' }, 'alert settings changed');
    return saved;
  });

  on(routes.replaceWebhookSecret, async (c) => {
    const saved = await replaceWebhookSecret(db, secrets, clock.now());
    logger.info({ by: c.var.session?.admin.id }, 'alert webhook secret replaced');
    return saved;
  });

  on(routes.testEmail, async () => ({ delivery: await alerts.testEmail() }));

  on(routes.testWebhook, async () => ({ delivery: await alerts.testWebhook() }));
  return router;
}
