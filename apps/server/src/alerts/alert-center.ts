import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import { alertKindLabels, catalogEntry, type AlertDelivery, type AlertKind, type Notification } from '@autoprov/contract';
import { alertEpisodes, appConfigurations, type AppDatabase } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import type { AlertPort, AlertSignal } from '@autoprov/engine';
import type { SecretBox } from '@autoprov/secrets';
import { defaultRetryPolicy, postAlertWebhook, sendAlertEmail, type AlertMessage, type RetryPolicy } from './delivery.js';
import { deliverySettings } from './settings.js';

export interface AlertCenterDeps {
  db: AppDatabase;
  secrets: SecretBox;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  retry?: RetryPolicy;
}

type Episode = typeof alertEpisodes.$inferSelect;

/** A deleted configuration has no condition left: its open episodes end (L-7). */
export async function endEpisodesOf(db: Pick<AppDatabase, 'update'>, configurationId: string, at: Date) {
  await db.update(alertEpisodes)
    .set({ endedAt: at })
    .where(and(eq(alertEpisodes.configurationId, configurationId), isNull(alertEpisodes.endedAt)));
}

const appNameOf = (appKey: string) => catalogEntry(appKey)?.name ?? appKey;
const linkOf = (publicUrl: string, appKey: string) => `${publicUrl}/apps/${encodeURIComponent(appKey)}`;

/**
 * L-7: keeps alert episodes and delivers each once, when it opens: by e-mail, by signed webhook,
 * and as a console notification (the episode row itself). The engine talks to it as its
 * AlertPort; delivery happens beside the run and its failures are recorded, never thrown.
 */
export class AlertCenter implements AlertPort {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: AlertCenterDeps) {}

  async started(signal: AlertSignal): Promise<void> {
    const { db, clock } = this.deps;
    const config = (await db.select({ appKey: appConfigurations.appKey }).from(appConfigurations).where(eq(appConfigurations.id, signal.configurationId)).limit(1))[0];
    if (!config) return;
    // The unique index on open episodes makes this a no-op while one is open: once per episode.
    const episode = (await db
      .insert(alertEpisodes)
      .values({ id: randomUUID(), kind: signal.kind, configurationId: signal.configurationId, appKey: config.appKey, runId: signal.runId, message: signal.message, startedAt: clock.now() })
      .onConflictDoNothing()
      .returning())[0]!;
    if (episode) this.track(this.deliver(episode));
  }

  async ended(kind: AlertKind, configurationId: string): Promise<void> {
    await this.deps.db
      .update(alertEpisodes)
      .set({ endedAt: this.deps.clock.now() })
      .where(and(eq(alertEpisodes.configurationId, configurationId), eq(alertEpisodes.kind, kind), isNull(alertEpisodes.endedAt)));
  }

  /** Newest first (L-7 notifications list). */
  async list(limit = 100): Promise<Notification[]> {
    return (await this.deps.db
      .select()
      .from(alertEpisodes)
      .orderBy(desc(alertEpisodes.startedAt))
      .limit(limit))
      .map((e) => ({
        id: e.id,
        kind: e.kind,
        appKey: e.appKey,
        appName: appNameOf(e.appKey),
        message: e.message,
        startedAt: e.startedAt.toISOString(),
        endedAt: e.endedAt?.toISOString() ?? null,
        link: `/apps/${encodeURIComponent(e.appKey)}`,
        deliveries: e.deliveries,
      }));
  }

  /** "Send a test e-mail": one attempt, reported as is. */
  async testEmail(): Promise<AlertDelivery> {
    const settings = await deliverySettings(this.deps.db, this.deps.secrets);
    if (!settings.smtp) return { channel: 'email', to: '', ok: false, attempts: 0, at: new Date().toISOString(), error: 'Set the SMTP server first.' };
    const link = `${this.deps.publicUrl}/alerts`;
    return sendAlertEmail(settings.smtp, settings.recipients, {
      subject: '[autoprov] Test e-mail',
      text: `This is a test e-mail from autoprov. Alerts (L-7) will reach you this way.\n\n${link}\n`,
      payload: {},
    }, { delaysMs: [] });
  }

  /** "Send a test webhook": one signed attempt with kind `test`. */
  async testWebhook(): Promise<AlertDelivery> {
    const settings = await deliverySettings(this.deps.db, this.deps.secrets);
    if (!settings.webhook) return { channel: 'webhook', to: '', ok: false, attempts: 0, at: new Date().toISOString(), error: 'Set the webhook address first.' };
    return postAlertWebhook(settings.webhook, { subject: '', text: '', payload: { kind: 'test', message: 'A test alert from autoprov.', sentAt: this.deps.clock.now().toISOString() } }, { delaysMs: [] });
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(p: Promise<void>) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(episode: Episode): Promise<void> {
    const { db, secrets, logger, publicUrl } = this.deps;
    try {
      const settings = await deliverySettings(db, secrets);
      const message = messageOf(episode, publicUrl);
      const policy = this.deps.retry ?? defaultRetryPolicy;
      const deliveries = await Promise.all([
        settings.smtp ? sendAlertEmail(settings.smtp, settings.recipients, message, policy) : null,
        settings.webhook ? postAlertWebhook(settings.webhook, message, policy) : null,
      ]);
      const done = deliveries.filter((d): d is AlertDelivery => d !== null);
      await db.update(alertEpisodes).set({ deliveries: done }).where(eq(alertEpisodes.id, episode.id));
      for (const d of done.filter((d) => !d.ok)) logger.warn({ alert: episode.id, channel: d.channel, error: d.error }, 'alert not delivered');
    } catch (err) {
      logger.error({ alert: episode.id, err }, 'alert delivery failed');
    }
  }
}

function messageOf(episode: Episode, publicUrl: string): AlertMessage {
  const appName = appNameOf(episode.appKey);
  const link = linkOf(publicUrl, episode.appKey);
  const title = alertKindLabels[episode.kind];
  return {
    subject: `[autoprov] ${appName}: ${title}`,
    text: `${title}: ${appName}\n\n${episode.message}\n\nOpen the app's page: ${link}\n\nYou get this e-mail once until the condition ends.\n`,
    payload: {
      id: episode.id,
      kind: episode.kind,
      app: { key: episode.appKey, name: appName },
      configurationId: episode.configurationId,
      runId: episode.runId,
      message: episode.message,
      startedAt: episode.startedAt.toISOString(),
      link,
    },
  };
}
