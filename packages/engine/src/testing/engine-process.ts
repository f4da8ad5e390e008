// A provisioning engine in a process of its own, so a test can SIGKILL it mid-run (E-10).
import { openDatabase } from '@autoprov/db';
import { builtInDirectory } from '@autoprov/directory';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun } from '../run.js';
import { ProvisioningScheduler } from '../scheduler.js';
import { scimAppPort } from '../scim-app.js';

const [file, baseUrl, token, configurationId, mode, startAt] = process.argv.slice(2) as [string, string, string, string, 'run' | 'recover', string];
// The test's time, moving on as real time does: timers the test started are due when it says,
// not when the calendar reaches them (a 7-day timer set on the fixture's date fell due for real).
const started = Date.now();
const clock = { now: () => new Date(Number(startAt) + Date.now() - started) };
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
  scheduler.start();
  await new Promise((r) => setTimeout(r, 100));
  await scheduler.idle(configurationId);
  await scheduler.stop();
}
close();
