// Provisioning speed and memory on loopback (issue 3). Prints a table; the numbers for
// BENCHMARKS.md come from here. Run: pnpm --filter @autoprov/engine bench
import { eq } from 'drizzle-orm';
import { syncRuns } from '@autoprov/db';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun } from '../src/run.js';
import { scimAppPort } from '../src/scim-app.js';
import { directoryChangeLatency, fixtureWith, startSink } from './shared.js';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

const sinkHandle = await startSink();
const baseUrl = sinkHandle.baseUrl;
const sinkCall = sinkHandle.call;
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
  const f = await fixtureWith(size, baseUrl);
  f.deps.appFor = async () => scimAppPort(client());
  f.deps.concurrency = concurrency;
  globalThis.gc?.();
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
  const seconds = (performance.now() - started) / 1000;
  const run = (await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]!;
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
  const reconcileRun = (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'reconcile' }))).limit(1))[0]!;
  const afterReconcile = (await sinkCall('/__stats')) as { requests: number; writes: number };
  rows.push([
    `(f) reconciliation, nothing drifted, ${size.toLocaleString('en')} accounts`,
    `${((performance.now() - reconcileStarted) / 1000).toFixed(2)} s, ${afterReconcile.requests - beforeReconcile.requests} requests (${afterReconcile.writes - beforeReconcile.writes} writes), peak ${mb(peakRss)}, ${reconcileRun.state} ${JSON.stringify(reconcileRun.counts)}`,
  ]);

  // (d) one directory change to the app, through the scheduler as in production.
  const latency = await directoryChangeLatency(f, sinkHandle);
  rows.push([`(d) one directory change → app, ${size.toLocaleString('en')} users`, `p50 ${latency.p50} ms, p95 ${latency.p95} ms (${latency.count} changes)`]);
  await f.close();
}

clearInterval(sampler);
sinkHandle.stop();
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nProvisioning benchmark — Node ${process.version}, concurrency ${concurrency}, ${new Date().toISOString()}\n`);
console.log(`| ${'measure'.padEnd(width)} | result |\n| ${'-'.repeat(width)} | --- |`);
for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
