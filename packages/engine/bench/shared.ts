// What the engine's benchmarks share: the sink in its own process, a directory of n users in a
// database file, (d) one directory change to the app through the scheduler, and (g) the
// outage scenario. provisioning.bench.ts, outage.bench.ts and field.bench.ts use these.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { appConfigurations, configurationHealth, directoryUsers, escrowedOperations, orgUnits, syncRuns, usageEvents, transaction } from '@autoprov/db';
import { changeUserStatus, latestChangeId, listUsers, systemActor, updateUser } from '@autoprov/directory';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { ProvisioningScheduler } from '../src/scheduler.js';
import { day, engineFixture } from '../src/test-support.js';

const sinkScript = fileURLToPath(new URL('./scim-sink.mjs', import.meta.url));
const sinks = new Set<ChildProcess>();
// A crash must not leave a sink behind.
process.on('exit', () => sinks.forEach((s) => s.kill()));

export interface Sink {
  process: ChildProcess;
  baseUrl: string;
  /** GET of one of the sink's paths (`/__stats`, `/__reset`), its JSON answer or null. */
  call: (path: string) => Promise<unknown>;
  stop: () => void;
}

/** The SCIM sink (scim-sink.mjs) in a process of its own; `env` sets its limits (SINK_LIMIT, …). */
export async function startSink(env: Record<string, string> = {}): Promise<Sink> {
  const child = fork(sinkScript, { stdio: 'inherit', env: { ...process.env, ...env } });
  sinks.add(child);
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const baseUrl = `http://127.0.0.1:${port}/scim/v2`;
  return {
    process: child,
    baseUrl,
    call: async (path) => (await fetch(`${baseUrl}${path}`)).json().catch(() => null),
    stop: () => {
      child.kill();
      sinks.delete(child);
    },
  };
}

export type Fixture = Awaited<ReturnType<typeof engineFixture>>;

/**
 * The built-in directory with `n` users (the demo organisation's 200 and more in /Sales), in a
 * database file, as in production: SQLite's pages then live in the page cache, not the heap.
 */
export async function fixtureWith(n: number, baseUrl: string, prefix = 'autoprov-bench-'): Promise<Fixture> {
  const f = await engineFixture({ baseUrl, token: 'bench', file: join(mkdtempSync(join(tmpdir(), prefix)), 'autoprov.sqlite') });
  const sales = (await f.db.select().from(orgUnits).where(eq(orgUnits.path, '/Sales')).limit(1))[0]!;
  await transaction(f.db, async (tx) => {
    for (let i = 0; i < n - 200; i++) {
      const now = new Date();
      await tx.insert(directoryUsers)
        .values({ id: randomUUID(), primaryEmail: `user.${i}@example.com`, givenName: 'Bench', familyName: `User ${i}`, orgUnitId: sales.id, jobTitle: 'Tester', createdAt: now, updatedAt: now });
    }
  });
  return f;
}

/**
 * (d) one directory change → the app, through the scheduler as in production (a look every
 * 50 ms): `changes` users get a new job title one after another, and each is timed from the
 * change to the PATCH reaching the sink. Run after a first sync of `f` to `sink`.
 */
export async function directoryChangeLatency(f: Fixture, sink: Sink, changes = 20): Promise<{ p50: number; p95: number; count: number }> {
  const scheduler = new ProvisioningScheduler(f.deps, { pollMs: 50 });
  // The full sync is done: the scheduler follows the directory's changes from here.
  await f.db.update(appConfigurations).set({ lastFullSyncAt: new Date(), directoryCursor: await latestChangeId(f.db) });
  await scheduler.start();
  const ids = await f.db.select({ id: directoryUsers.id }).from(directoryUsers).limit(changes);
  const latencies: number[] = [];
  try {
    for (const [i, { id }] of ids.entries()) {
      await sink.call('/__stats'); // empties the sink's log of PATCHes
      const t0 = Date.now();
      await updateUser(f.db, f.clock, systemActor, id, { jobTitle: `Title ${i}` });
      for (;;) {
        const s = (await sink.call('/__stats')) as { patches: [number, string][] };
        const hit = s.patches.find(([t]) => t >= t0);
        if (hit) {
          latencies.push(hit[0] - t0);
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    await scheduler.stop();
  }
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { p50: pct(50), p95: pct(95), count: latencies.length };
}

const minute = 60 * 1000;

export interface OutageResult {
  suspensions: number;
  /** During the outage: runs started, Failure events, requests that reached the gateway. */
  during: { runs: number; failures: number; requests: number };
  quarantined: boolean;
  /** The escrow or probe step in force when the app recovered: from the last attempt to the next. */
  stepMs: number | null;
  /** From the app's recovery to every suspended user's account being inactive; null: not within a day. */
  rightAfterMs: number | null;
  pollMs: number;
}

/**
 * (g) the target is down (503) for `outageMs` of fake time while `suspensions` suspensions fall
 * due; the scheduler looks every `pollMs` of fake time. A real SCIM server on 127.0.0.1
 * (scimmy, the demo's 200 users provisioned) behind a gateway that answers 503.
 */
export async function outageScenario(suspensions: number, { pollMs = 5_000, outageMs = 10 * minute } = {}): Promise<OutageResult> {
  const scim = await startScimmyServer({ token: 'good' });
  const gateway = await startFiveHundredGateway(scim.baseUrl);
  const f = await engineFixture({ baseUrl: gateway.baseUrl, token: 'good', rules: { suspended: { delay: '1d', action: 'suspend' } } });
  const scheduler = new ProvisioningScheduler(f.deps);
  const look = async () => {
    f.clock.advance(pollMs);
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
  };
  try {
    await scheduler.tick();
    await scheduler.idle(f.configurationId);
    const users = (await listUsers(f.db, { page: 1, pageSize: suspensions, status: 'active', q: '@example.com' })).items;
    for (const u of users) await changeUserStatus(f.db, f.clock, systemActor, u.id, 'suspend');
    await scheduler.tick();
    await scheduler.idle(f.configurationId);

    const runs = async () => (await f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId))).length;
    const failures = async () => (await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'))).length;
    const before = { runs: await runs(), failures: await failures(), requests: gateway.stats.requests };
    // The suspensions fall due as the outage starts.
    f.clock.advance(day - pollMs);
    gateway.outage(503);
    for (let t = 0; t < outageMs; t += pollMs) await look();
    const during = { runs: await runs() - before.runs, failures: await failures() - before.failures, requests: gateway.stats.requests - before.requests };
    const health = (await f.db.select().from(configurationHealth).where(eq(configurationHealth.configurationId, f.configurationId)).limit(1))[0];
    const quarantined = health?.quarantinedAt != null;
    const stepMs = await stepInForce(f, health);

    gateway.outage(null);
    const userNames = new Set(users.map((u) => u.primaryEmail));
    const allRight = () => [...scim.users.values()].filter((u) => userNames.has(String(u.userName)) && u.active === false).length === users.length;
    let waited = 0;
    while (!allRight() && waited < day) {
      await look();
      waited += pollMs;
    }
    return { suspensions, during, quarantined, stepMs, rightAfterMs: allRight() ? waited : null, pollMs };
  } finally {
    await scheduler.stop();
    await f.close();
    await gateway.close();
    await scim.close();
  }
}

/** The wait between the last attempt and the next one scheduled: the next probe in quarantine, else the next escrow attempt. */
async function stepInForce(f: Fixture, health: typeof configurationHealth.$inferSelect | undefined): Promise<number | null> {
  if (health?.quarantinedAt && health.nextProbeAt) return health.nextProbeAt.getTime() - (health.lastProbeAt ?? health.quarantinedAt).getTime();
  const steps = (await f.db
    .select()
    .from(escrowedOperations)
    .where(eq(escrowedOperations.configurationId, f.configurationId)))
    .filter((e) => e.nextAttemptAt)
    .map((e) => e.nextAttemptAt!.getTime() - e.lastAttemptAt.getTime());
  return steps.length ? Math.min(...steps) : null;
}

/** (g)'s target, checked: a handful of runs, a handful of Failure events per due user, everyone right within one step (and a look) of recovery. */
export function outageMet(r: OutageResult): boolean {
  return r.during.runs <= 5 && r.during.failures <= 5 * r.suspensions && r.rightAfterMs !== null && r.stepMs !== null && r.rightAfterMs <= r.stepMs + r.pollMs;
}

export function describeOutage(r: OutageResult): string {
  const right = r.rightAfterMs === null ? 'never (1 day)' : `${(r.rightAfterMs / minute).toFixed(1)} min`;
  const step = r.stepMs === null ? 'no step scheduled' : `the step in force ${(r.stepMs / minute).toFixed(1)} min`;
  return `${r.during.runs} runs, ${r.during.failures} Failure events, ${r.during.requests} requests; ${r.quarantined ? 'quarantined' : 'not quarantined'}; everyone right ${right} after it recovers (${step})`;
}
