// Field-grade speed and pacing (issue 14). In one run, prints a table for BENCHMARKS.md:
// (a') the sink's ceiling measured by `wrk` POSTing /Users over 32 connections; (b) a first
// sync of 100,000 users as a share of (a'), with (c), (d) and (e) of the provisioning
// benchmark beside it (on the same database and sink); (g) the outage scenario of
// outage.bench.ts; (f) first syncs of 2,000 users through the real engine against the sink
// limited to R requests a second (429 with a Retry-After of 10 s beyond), behind the client's
// default published limits (50/s, 8 in flight).
// Run: pnpm --filter @autoprov/engine bench:field
// (BENCH_SIZE, BENCH_RATES, BENCH_KINDS to vary; BENCH_PARTS=a,b,g,f to run only some parts)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { syncRuns } from '@autoprov/db';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun, scimAppPort } from '../src/index.js';
import { describeOutage, directoryChangeLatency, fixtureWith, outageMet, outageScenario, startSink } from './shared.js';

const size = Number(process.env.BENCH_SIZE ?? 100_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rates = (process.env.BENCH_RATES ?? '3,20').split(',').filter(Boolean).map(Number);
const kinds = (process.env.BENCH_KINDS ?? 'window,bucket').split(',');
const parts = new Set((process.env.BENCH_PARTS ?? 'a,b,g,f').split(','));
const limitedUsers = 2000;
const rows: [string, string, string, string][] = [];

function row(...r: [string, string, string, string]) {
  rows.push(r);
  console.error(`measured: ${r.join(' | ')}`);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// (a') the sink's ceiling, measured by wrk (the sink alone, nothing else running).
let ceiling: number | null = null;
if (parts.has('a')) {
  const sink = await startSink();
  let wrk = true;
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    wrk = (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  if (!wrk) {
    console.error('\n*** wrk is missing: install it (Debian: apt-get install -y wrk). (a\') and the shares of it are not measured. ***\n');
    row("(a') sink ceiling: wrk POST /Users, 32 connections", 'NOT MEASURED: wrk is missing (apt-get install -y wrk)', '—', '');
  } else {
    const script = fileURLToPath(new URL('./wrk-post-users.lua', import.meta.url));
    const out = execFileSync('wrk', ['-t2', '-c32', '-d10s', '-s', script, `${sink.baseUrl}/Users`], { encoding: 'utf8' });
    const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    ceiling = perSecond;
    row("(a') sink ceiling: wrk POST /Users, 2 threads, 32 connections, 10 s", `${fmt(perSecond)} requests/s (${non2xx} not 2xx)`, '—', '');
  }
  sink.stop();
}

// (b) first sync of `size` users, (c) the no-change sync after it, (d) one directory change
// to the app after that, (e) peak memory during (b).
if (parts.has('b')) {
  const sink = await startSink();
  const f = await fixtureWith(size, sink.baseUrl, 'autoprov-field-');
  const client = new ScimClient({ baseUrl: sink.baseUrl, tokens: staticToken('bench', sink.baseUrl), concurrency, requestsPerSecond: 1e9 });
  f.deps.appFor = async () => scimAppPort(client);
  f.deps.concurrency = concurrency;
  globalThis.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
  const seconds = (performance.now() - started) / 1000;
  // CPU time of the engine's process: on a shared machine, steadier than the wall clock.
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const run = (await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]!;
  const perSecond = (run.counts.created ?? 0) / seconds;
  const share = ceiling ? perSecond / ceiling : null;
  row(
    `(b) first sync, ${fmt(size)} users, engine concurrency ${concurrency}`,
    `${fmt(perSecond)} users/s (${fmt(seconds, 1)} s, ${run.state}, ${run.counts.failed ?? 0} failed)${share === null ? '' : ` = ${fmt(share * 100, 1)}% of (a')`}; engine process CPU ${fmt((cpu.user + cpu.system) / Math.max(1, run.counts.created ?? 0))} µs/user`,
    "≥ 25% of (a')",
    share === null ? '?' : share >= 0.25 ? 'yes' : 'no',
  );
  row(`(e) peak memory (RSS) during (b)`, `${fmt(peakRss / 1024 / 1024)} MB`, '≤ 400 MB', peakRss <= 400 * 1024 * 1024 ? 'yes' : 'no');
  const before = (await sink.call('/__stats')) as { writes: number };
  const again = performance.now();
  await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
  const after = (await sink.call('/__stats')) as { writes: number };
  const noChange = (performance.now() - again) / 1000;
  const writes = after.writes - before.writes;
  row(`(c) no-change sync, ${fmt(size)} users`, `${fmt(noChange, 2)} s, ${writes} write requests`, '≤ 3 s, 0 writes', noChange <= 3 && writes === 0 ? 'yes' : 'no');
  const latency = await directoryChangeLatency(f, sink);
  row(
    `(d) one directory change → the app, ${fmt(size)} users (scheduler looking every 50 ms)`,
    `p50 ${fmt(latency.p50)} ms, p95 ${fmt(latency.p95)} ms (${latency.count} changes)`,
    'p95 ≤ 1 s',
    latency.p95 <= 1000 ? 'yes' : 'no',
  );
  await f.close();
  sink.stop();
}

// (g) the app down (503) for 10 minutes of fake time while suspensions fall due (shared.ts).
if (parts.has('g')) {
  for (const n of [1, 20]) {
    const r = await outageScenario(n);
    row(
      `(g) target down (503) 10 min, ${n} suspension${n === 1 ? '' : 's'} due, a look every 5 s`,
      describeOutage(r),
      'a handful of runs and Failure events (≤ 5 runs, ≤ 5 per due user), everyone right within one escrow step after recovery',
      outageMet(r) ? 'yes' : 'no',
    );
  }
}

// (f) rate-limited apps: every (R, kind) at once (each its own sink and database; at these
// rates the machine is idle), through the real engine and the client's default limits.
await Promise.all(
  (parts.has('f') ? rates : []).flatMap((R) =>
    kinds.map(async (kind) => {
      const sink = await startSink({ SINK_LIMIT: String(R), SINK_LIMIT_KIND: kind, SINK_RETRY_AFTER: '10' });
      const f = await fixtureWith(limitedUsers, sink.baseUrl, 'autoprov-field-');
      // No limits given: the client's defaults, as an app the catalog knows nothing about would get
      // them (50 requests/s, bursts of 50, 8 in flight). The pacer must find R by itself.
      const client = new ScimClient({ baseUrl: sink.baseUrl, tokens: staticToken('bench', sink.baseUrl) });
      f.deps.appFor = async () => scimAppPort(client);
      const started = performance.now();
      const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
      const seconds = (performance.now() - started) / 1000;
      const run = (await f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).limit(1))[0]!;
      const stats = (await sink.call('/__stats')) as { requests: number; refused: number; users: number };
      const share = stats.requests / seconds / R;
      const refused = stats.refused / (stats.requests + stats.refused);
      const failed = run.counts.failed ?? 0;
      const what = kind === 'bucket' ? `a token bucket of ${R}/s (bursts of ${R})` : `${R} requests in each calendar second`;
      row(
        `(f) first sync, ${fmt(limitedUsers)} users, app allowing ${what}, Retry-After 10 s`,
        `${fmt(share * 100, 1)}% of R (${stats.requests} accepted in ${fmt(seconds, 1)} s), ${fmt(refused * 100, 2)}% refused (${stats.refused}), ${failed} users failed, ${stats.users} created`,
        '≥ 90% of R, ≤ 2% refused, 0 failed',
        share >= 0.9 && refused <= 0.02 && failed === 0 && stats.users === limitedUsers ? 'yes' : 'no',
      );
      await f.close();
      sink.stop();
    }),
  ),
);

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 6));
console.log(`\nField benchmark (issue 14) — Node ${process.version}, ${new Date().toISOString()}\n`);
console.log('| measure | result | target | met |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
// The clients' kept-alive connections would hold the process open for their timeout.
process.exit(0);
