// Provisioning speed and memory on loopback (issue 3). Prints a table; the numbers for
// BENCHMARKS.md come from here. Run: pnpm --filter @autoprov/engine bench
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { appConfigurations, directoryUsers, orgUnits, syncRuns } from '@autoprov/db';
import { latestChangeId, systemActor, updateUser } from '@autoprov/directory';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun } from '../src/run.js';
import { ProvisioningScheduler } from '../src/scheduler.js';
import { scimAppPort } from '../src/scim-app.js';
import { engineFixture } from '../src/test-support.js';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

const sink = fork(fileURLToPath(new URL('./scim-sink.mjs', import.meta.url)), { stdio: 'inherit' });
const port = await new Promise<number>((resolve) => sink.once('message', (m: { port: number }) => resolve(m.port)));
const baseUrl = `http://127.0.0.1:${port}/scim/v2`;
const sinkCall = async (path: string) => (await fetch(`${baseUrl}${path}`)).json().catch(() => null);
const client = () => new ScimClient({ baseUrl, tokens: staticToken('bench', baseUrl), concurrency, requestsPerSecond: 1e9 });

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
// BENCH_GC=1 (with node --expose-gc) collects every second: the peak then shows the live set,
// not garbage V8 has not collected yet.
if (process.env.BENCH_GC) setInterval(() => globalThis.gc?.(), 1000).unref();
const rows: [string, string][] = [];
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
let ceiling = 0;

// (a) the ceiling: the same client POSTing as fast as it can.
{
  const c = client();
  const n = 20_000;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await c.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `ceiling.${i}@example.com` });
      }
    }),
  );
  const perSecond = n / ((performance.now() - started) / 1000);
  rows.push(['(a) raw ceiling: POST /Users, same client', `${perSecond.toFixed(0)} requests/s`]);
  await sinkCall('/__reset');
  ceiling = perSecond;
}

for (const size of sizes) {
  await sinkCall('/__reset');
  // A database file, as in production: SQLite's pages then live in the page cache, not in the heap.
  const f = engineFixture({ baseUrl, token: 'bench', file: join(mkdtempSync(join(tmpdir(), 'autoprov-bench-')), 'autoprov.sqlite') });
  f.deps.appFor = async () => scimAppPort(client());
  f.deps.concurrency = concurrency;
  const sales = f.db.select().from(orgUnits).where(eq(orgUnits.path, '/Sales')).get()!;
  const extra = size - 200;
  f.db.transaction((tx) => {
    for (let i = 0; i < extra; i++) {
      const now = new Date();
      tx.insert(directoryUsers)
        .values({ id: randomUUID(), primaryEmail: `user.${i}@example.com`, givenName: 'Bench', familyName: `User ${i}`, orgUnitId: sales.id, jobTitle: 'Tester', createdAt: now, updatedAt: now })
        .run();
    }
  });
  globalThis.gc?.();
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
  const seconds = (performance.now() - started) / 1000;
  const run = f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get()!;
  const created = run.counts.created ?? 0;
  rows.push([`(b) first sync, ${size.toLocaleString('en')} users`, `${(created / seconds).toFixed(0)} users/s (${seconds.toFixed(1)} s, ${(((created / seconds) / ceiling) * 100).toFixed(0)}% of (a)), ${run.state}`]);
  rows.push([`(e) peak memory during (b), ${size.toLocaleString('en')} users`, mb(peakRss)]);

  const before = (await sinkCall('/__stats')) as { writes: number };
  const again = performance.now();
  await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
  const after = (await sinkCall('/__stats')) as { writes: number };
  rows.push([`(c) no-change sync, ${size.toLocaleString('en')} users`, `${((performance.now() - again) / 1000).toFixed(2)} s, ${after.writes - before.writes} write requests`]);

  // (f) E-19: a reconciliation with nothing drifted: the no-change sync, plus reading every
  // account the app holds (pages of 500) and comparing each with its link.
  const beforeReconcile = (await sinkCall('/__stats')) as { requests: number; writes: number };
  globalThis.gc?.();
  peakRss = process.memoryUsage().rss;
  const reconcileStarted = performance.now();
  const reconcileRun = f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'reconcile' }))).get()!;
  const afterReconcile = (await sinkCall('/__stats')) as { requests: number; writes: number };
  rows.push([
    `(f) reconciliation, nothing drifted, ${size.toLocaleString('en')} accounts`,
    `${((performance.now() - reconcileStarted) / 1000).toFixed(2)} s, ${afterReconcile.requests - beforeReconcile.requests} requests (${afterReconcile.writes - beforeReconcile.writes} writes), peak ${mb(peakRss)}, ${reconcileRun.state} ${JSON.stringify(reconcileRun.counts)}`,
  ]);

  // (d) one directory change to the app, through the scheduler as in production.
  const scheduler = new ProvisioningScheduler(f.deps, { pollMs: 50 });
  f.db.update(appConfigurations).set({ lastFullSyncAt: new Date(), directoryCursor: latestChangeId(f.db) }).run();
  scheduler.start();
  const ids = f.db.select({ id: directoryUsers.id }).from(directoryUsers).limit(20).all();
  const latencies: number[] = [];
  for (const [i, { id }] of ids.entries()) {
    await sinkCall('/__stats');
    const t0 = Date.now();
    updateUser(f.db, f.clock, systemActor, id, { jobTitle: `Title ${i}` });
    for (;;) {
      const s = (await sinkCall('/__stats')) as { patches: [number, string][] };
      const hit = s.patches.find(([t]) => t >= t0);
      if (hit) {
        latencies.push(hit[0] - t0);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  await scheduler.stop();
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  rows.push([`(d) one directory change → app, ${size.toLocaleString('en')} users`, `p50 ${pct(50)} ms, p95 ${pct(95)} ms (${latencies.length} changes)`]);
  f.close();
}

clearInterval(sampler);
sink.kill();
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nProvisioning benchmark — Node ${process.version}, concurrency ${concurrency}, ${new Date().toISOString()}\n`);
console.log(`| ${'measure'.padEnd(width)} | result |\n| ${'-'.repeat(width)} | --- |`);
for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
