import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { admins, openDatabase, ownerOnlyFolder } from '@autoprov/db';
import { builtInDirectory, seedDemoOrganisation, systemClock } from '@autoprov/directory';
import { appConnector, ProvisioningScheduler, pruneSyncHistory, pruneUsageLog } from '@autoprov/engine';
import { loadOrCreateKey, SecretBox } from '@autoprov/secrets';
import { AlertCenter } from './alerts/alert-center.js';
import { createApp } from './app.js';
import { GoogleDirectorySync } from './directory-source/google-source.js';
import { sessionStore } from './auth/sessions.js';
import { SetupToken } from './auth/setup-token.js';
import { loadConfig } from './env.js';
import { createLogger } from './lib/logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
// S-6: the data folder is the owner's only, whatever the umask and however old the install.
ownerOnlyFolder(config.dataDir);
const secrets = new SecretBox(loadOrCreateKey(config.secretKeyHex, config.secretKeyFile));
const { db, close } = openDatabase(config.databaseFile);
logger.info({ databaseFile: config.databaseFile }, 'database ready');

if (config.seedDemo && seedDemoOrganisation(db, systemClock)) {
  logger.info('demo organisation created in the built-in directory');
}

// The provisioning engine runs in this process: change-driven runs within seconds, a daily
// reconciliation, and recovery of runs a previous process left unfinished (E-10, E-11, E-12).
const appConnections = appConnector(db, secrets);
// L-7: the engine tells the alert center when a condition starts or ends; it delivers.
const alerts = new AlertCenter({ db, secrets, clock: systemClock, logger, publicUrl: config.publicUrl });
const scheduler = new ProvisioningScheduler(
  { db, clock: systemClock, directory: builtInDirectory(db), appFor: appConnections, alerts },
);
scheduler.start();

// L-1: the usage log keeps 30 days; L-2, L-3: finished runs and their reports 90 days.
const pruneUsage = () => {
  const removed = pruneUsageLog(db, systemClock.now());
  if (removed > 0) logger.info({ removed }, 'usage events older than 30 days removed');
  const runs = pruneSyncHistory(db, systemClock.now());
  if (runs > 0) logger.info({ runs }, 'sync runs older than 90 days removed');
};
pruneUsage();
setInterval(pruneUsage, 60 * 60 * 1000).unref();

// Google Workspace, when it is the directory: its changes every minute, a full read daily.
const googleSync = new GoogleDirectorySync({ db, clock: systemClock, secrets, google: config.google, logger }, { pollMs: config.google.pollMs });
googleSync.start();

const setupToken = new SetupToken();
const needsSetup = (db.select({ n: sql<number>`count(*)` }).from(admins).get()?.n ?? 0) === 0;
if (!needsSetup) setupToken.consume();

const app = createApp(
  {
    db,
    clock: systemClock,
    logger,
    setupToken,
    publicUrl: config.publicUrl,
    secrets,
    apps: config.apps,
    provisioning: scheduler,
    google: config.google,
    googleSync,
    alerts,
    trustedProxies: config.trustedProxies,
    sessions: sessionStore(db, systemClock, { secureCookies: config.publicUrl.startsWith('https:'), idleTimeoutMs: config.idleTimeoutMs }),
  },
  { consoleDir: config.consoleDir },
);

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const url = config.publicUrl;
  const lines = [
    '',
    `  autoprov is running: ${url}`,
    needsSetup && setupToken.value
      ? `  First run: create the super-admin at ${url}/setup?token=${setupToken.value}\n  (the link works once; restarting autoprov prints a new one)`
      : `  Sign in at ${url}/sign-in`,
    `  Data: ${config.dataDir}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ port: info.port, host: config.host }, 'listening');
});

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close(() => {
    void Promise.all([scheduler.stop(), googleSync.stop()]).finally(async () => {
      // The runs have stopped: the apps' kept-alive connections can close.
      await appConnections.close().catch(() => {});
      close();
      process.exit(0);
    });
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
