// A provisioning engine in a process of its own, so a test can SIGKILL it mid-run (E-10). On
// PostgreSQL (`standby`), it first waits for the engine lock, as a worker process does (issue 16).
import { eq } from 'drizzle-orm';
import { acquireEngineLease, openDatabaseAt, syncRuns } from '@autoprov/db';
import { builtInDirectory } from '@autoprov/directory';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun } from '../run.js';
import { ProvisioningScheduler } from '../scheduler.js';
import { scimAppPort } from '../scim-app.js';

const [location, baseUrl, token, configurationId, mode, startedAt] = process.argv.slice(2) as [string, string, string, string, 'run' | 'recover' | 'standby', string];
// The test's clock goes on here (timers set on its fake date must not fall due by the calendar).
const offset = Date.parse(startedAt) - Date.now();
const clock = { now: () => new Date(Date.now() + offset) };
const { db, close } = await openDatabaseAt(location);
const deps = {
  db,
  clock,
  directory: builtInDirectory(db),
  appFor: async () => scimAppPort(new ScimClient({ baseUrl, tokens: staticToken(token, baseUrl), concurrency: 4, requestsPerSecond: 100_000 })),
  concurrency: 4,
};

if (mode === 'run') {
  await executeRun(deps, { configurationId, trigger: 'manual' });
} else {
  const lease = mode === 'standby' ? await acquireEngineLease(location, { retryMs: 100 }) : null;
  // The lock gone, another process may be working: this one stops at once.
  void lease?.lost.then(() => process.exit(1));
  const scheduler = new ProvisioningScheduler(deps, { pollMs: 20 });
  await scheduler.start();
  // Done when the app's runs are all over: the scheduler may queue one at any look.
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    await scheduler.idle(configurationId);
    const runs = await db.select({ state: syncRuns.state }).from(syncRuns).where(eq(syncRuns.configurationId, configurationId));
    if (runs.length > 0 && runs.every((r) => r.state !== 'pending' && r.state !== 'running')) break;
  }
  await scheduler.stop();
  await lease?.release();
}
await close();
