// Issue 14, row (g): the target is down (503) for 10 minutes of fake time while suspensions are
// due. Counts the runs, Failure events and requests during the outage, and how long after it
// ends every user is right. A real SCIM server on 127.0.0.1 behind a gateway that answers 503.
// Run: node --import tsx packages/engine/bench/outage.bench.ts (from the worktree root).
import { eq } from 'drizzle-orm';
import { configurationHealth, syncRuns, usageEvents } from '@autoprov/db';
import { changeUserStatus, listUsers, systemActor } from '@autoprov/directory';
import { startFiveHundredGateway, startScimmyServer } from '@autoprov/scim-client/testing';
import { ProvisioningScheduler } from '../src/scheduler.js';
import { day, engineFixture } from '../src/test-support.js';

const minute = 60 * 1000;
const pollMs = 5_000;
const outageMs = 10 * minute;

async function scenario(suspensions: number) {
  const scim = await startScimmyServer({ token: 'good' });
  const gateway = await startFiveHundredGateway(scim.baseUrl);
  const f = engineFixture({ baseUrl: gateway.baseUrl, token: 'good', rules: { suspended: { delay: '1d', action: 'suspend' } } });
  const scheduler = new ProvisioningScheduler(f.deps);
  const look = async () => {
    f.clock.advance(pollMs);
    scheduler.tick();
    await scheduler.idle(f.configurationId);
  };
  scheduler.tick();
  await scheduler.idle(f.configurationId);
  const users = listUsers(f.db, { page: 1, pageSize: suspensions, status: 'active', q: '@example.com' }).items;
  for (const u of users) changeUserStatus(f.db, f.clock, systemActor, u.id, 'suspend');
  scheduler.tick();
  await scheduler.idle(f.configurationId);

  const runs = () => f.db.select().from(syncRuns).where(eq(syncRuns.configurationId, f.configurationId)).all().length;
  const failures = () => f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure')).all().length;
  const before = { runs: runs(), failures: failures(), requests: gateway.stats.requests };
  // The suspensions fall due as the outage starts.
  f.clock.advance(day - pollMs);
  gateway.outage(503);
  for (let t = 0; t < outageMs; t += pollMs) await look();
  const during = { runs: runs() - before.runs, failures: failures() - before.failures, requests: gateway.stats.requests - before.requests };
  const quarantined = f.db.select().from(configurationHealth).all()[0]?.quarantinedAt != null;

  gateway.outage(null);
  const userNames = new Set(users.map((u) => u.primaryEmail));
  const allRight = () => [...scim.users.values()].filter((u) => userNames.has(String(u.userName)) && u.active === false).length === users.length;
  let waited = 0;
  while (!allRight() && waited < day) {
    await look();
    waited += pollMs;
  }
  await gateway.close();
  await scim.close();
  return { suspensions, during, quarantined, rightAfterMs: allRight() ? waited : null };
}

const rows: string[] = [];
for (const n of [1, 20]) {
  const r = await scenario(n);
  rows.push(
    `| (g) target down (503) 10 min, ${n} suspension${n === 1 ? '' : 's'} due, a look every 5 s | ${r.during.runs} runs, ${r.during.failures} Failure events, ${r.during.requests} requests; ${r.quarantined ? 'quarantined' : 'not quarantined'}; everyone right ${r.rightAfterMs === null ? 'never (1 day)' : `${(r.rightAfterMs / minute).toFixed(1)} min`} after it recovers |`,
  );
}
console.log('| measure | result |\n| --- | --- |');
for (const row of rows) console.log(row);
