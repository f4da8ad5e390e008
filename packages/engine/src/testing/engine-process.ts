// A provisioning engine in a process of its own, so a test can SIGKILL it mid-run (E-10).
import { openDatabase } from '@autoprov/db';
import { builtInDirectory } from '@autoprov/directory';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun } from '../run.js';
import { ProvisioningScheduler } from '../scheduler.js';
import { scimAppPort } from '../scim-app.js';

const [file, baseUrl, token, configurationId, mode, startedAt] = process.argv.slice(2) as [string, string, string, string, 'run' | 'recover', string];
// The test's clock goes on here (timers set on its fake date must not fall due by the calendar).
const offset = Date.parse(startedAt) - Date.now();
const clock = { now: () => new Date(Date.now() + offset) };
const { db, close } = openDatabase(file);
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
  const scheduler = new ProvisioningScheduler(deps, { pollMs: 20 });
  await scheduler.start();
  await new Promise((r) => setTimeout(r, 100));
  await scheduler.idle(configurationId);
  await scheduler.stop();
}
await close();
