import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { acquireEngineLease, admins, openDatabaseAt, ownerOnlyFolder, withoutPassword } from '@autoprov/db';
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
import { ServerMetrics } from './operations/metrics.js';
import { readinessChecks, SchedulerHeartbeat } from './operations/readiness.js';
import { provisioningFor, roleDoes } from './operations/roles.js';
import { operationsRoutes, type OperationsOptions } from './operations/routes.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const startedAt = new Date();
// AUTOPROV_ROLE: a web process serves the console and its API; a worker runs the engine and
// answers only health, readiness and metrics; `all` (the default) does both in one process.
const { runsEngine, servesConsole } = roleDoes(config.role);
// S-6: the data folder is the owner's only, whatever the umask and however old the install.
ownerOnlyFolder(config.dataDir);
const secrets = new SecretBox(loadOrCreateKey(config.secretKeyHex, config.secretKeyFile));
const database = await openDatabaseAt(config.databaseUrl ?? config.databaseFile);
const { db, close } = database;
logger.info(config.databaseUrl ? { database: withoutPassword(config.databaseUrl) } : { databaseFile: config.databaseFile }, 'database ready');

if (config.seedDemo && await seedDemoOrganisation(db, systemClock)) {
  logger.info('demo organisation created in the built-in directory');
}

// Registered here, observed through the engine's ports: the engine knows nothing of prom-client.
const metrics = new ServerMetrics(db, { runsEngine, startedAt });
// The provisioning engine: change-driven runs within seconds, a daily reconciliation, and
// recovery of runs a previous process left unfinished (E-10, E-11, E-12).
const appConnections = metrics.countOperations(appConnector(db, secrets, {}, metrics.appTraffic));
const heartbeat = runsEngine ? new SchedulerHeartbeat() : null;
// L-7: the engine tells the alert center when a condition starts or ends; it delivers.
const alerts = new AlertCenter({ db, secrets, clock: systemClock, logger, publicUrl: config.publicUrl });
const scheduler = new ProvisioningScheduler(
  { db, clock: systemClock, directory: builtInDirectory(db), appFor: appConnections, alerts },
  { onLook: () => heartbeat?.beat(), onLookFailed: (err) => logger.error({ err }, 'the scheduler could not look for work; it tries again') },
);

// L-1: the usage log keeps 30 days; L-2, L-3: finished runs and their reports 90 days.
const pruneUsage = async () => {
  const removed = await pruneUsageLog(db, systemClock.now());
  if (removed > 0) logger.info({ removed }, 'usage events older than 30 days removed');
  const runs = await pruneSyncHistory(db, systemClock.now());
  if (runs > 0) logger.info({ runs }, 'sync runs older than 90 days removed');
};

// Google Workspace, when it is the directory: its changes every minute, a full read daily.
const googleSync = new GoogleDirectorySync({ db, clock: systemClock, secrets, google: config.google, logger }, { pollMs: config.google.pollMs });

async function startEngine() {
  await scheduler.start();
  heartbeat?.beat();
  await pruneUsage();
  setInterval(() => void pruneUsage().catch((err: unknown) => logger.error({ err }, 'pruning the usage log and sync history failed')), 60 * 60 * 1000).unref();
  googleSync.start();
}

const shuttingDown = new AbortController();
/** Whether this process runs the engine now: on PostgreSQL, only once it holds the engine lease. */
let engineHere = runsEngine && !config.databaseUrl;
if (runsEngine && config.databaseUrl) {
  // Issue 16: on PostgreSQL one engine process works at a time; the others stand by and take
  // over when it goes (the lock is released with its session). Serving does not wait for it.
  heartbeat?.standby();
  void acquireEngineLease(config.databaseUrl, {
    signal: shuttingDown.signal,
    onStandby: () => logger.info('another process runs the engine on this database: standing by to take over'),
  }).then(
    async (lease) => {
      logger.info('this process now runs the engine');
      void lease.lost.then((err) => {
        // Another process may take over at once: going on would run the same work twice.
        logger.fatal({ err }, 'the engine lock was lost (the database went away); stopping so that a restart stands by again');
        process.exit(1);
      });
      await startEngine();
      engineHere = true;
    },
    (err: unknown) => {
      if (!shuttingDown.signal.aborted) logger.error({ err }, 'waiting to run the engine failed');
    },
  );
} else if (runsEngine) {
  await startEngine();
}

const provisioning = provisioningFor(config.role, scheduler, db, systemClock, () => engineHere);

const operations: OperationsOptions = {
  readiness: readinessChecks(database, heartbeat),
  ...(config.metricsToken ? { metrics: { registry: metrics.registry, token: config.metricsToken } } : {}),
};

const setupToken = new SetupToken();
const needsSetup = ((await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(admins).limit(1))[0]?.n ?? 0) === 0;
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
    provisioning,
    google: config.google,
    googleSync,
    alerts,
    trustedProxies: config.trustedProxies,
    sessions: sessionStore(db, systemClock, { secureCookies: config.publicUrl.startsWith('https:'), idleTimeoutMs: config.idleTimeoutMs }),
  },
  { consoleDir: config.consoleDir, operations },
);

const server = serve({ fetch: servesConsole ? app.fetch : operationsRoutes(operations).fetch, port: config.port, hostname: config.host }, (info) => {
  const url = config.publicUrl;
  const lines = servesConsole ? [
    '',
    `  autoprov is running: ${url}`,
    needsSetup && setupToken.value
      ? `  First run: create the super-admin at ${url}/setup?token=${setupToken.value}\n  (the link works once; restarting autoprov prints a new one)`
      : `  Sign in at ${url}/sign-in`,
    `  Data: ${config.dataDir}`,
    '',
  ] : ['', `  autoprov worker is running: ${url}/healthz (health, readiness and metrics only)`, `  Data: ${config.dataDir}`, ''];
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ port: info.port, host: config.host }, 'listening');
});

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  shuttingDown.abort();
  heartbeat?.stopped();
  server.close(() => {
    void Promise.all([scheduler.stop(), googleSync.stop()]).finally(async () => {
      // The runs have stopped: the apps' kept-alive connections can close.
      await appConnections.close().catch(() => {});
      await close().catch(() => {});
      process.exit(0);
    });
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
