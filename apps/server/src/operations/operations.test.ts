import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoApp } from '@autoprov/demo-app';
import { appConfigurations, openDatabase, provisionedAccounts, syncRuns } from '@autoprov/db';
import { appConnector, storeCredentials } from '@autoprov/engine';
import { SecretBox } from '@autoprov/secrets';
import { serverWithGoToMeeting, startDemoApp } from '../test/demo-app-setup.js';
import { testServer } from '../test/harness.js';
import { ServerMetrics } from './metrics.js';
import { SchedulerHeartbeat } from './readiness.js';

const token = 'm'.repeat(40);
/** Probes and scrapers come at the machine's address, not the console's public one. */
const probe = (app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> }, path: string, headers: Record<string, string> = {}) =>
  app.request(`http://10.1.2.3:3000${path}`, { headers });

/** What /readyz and the errors answer. */
type Answer = { status?: string; checks: Record<string, { ok: boolean; detail?: string }>; error: { message: string } };
const bodyOf = async (res: Response) => (await res.json()) as Answer;

/** The value of one exact series in Prometheus text, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and readiness (issue 16)', () => {
  it('/healthz says the process is alive, at any Host and without a session', async () => {
    const { app } = await testServer();
    const res = await probe(app, '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 while the database answers with every migration and the scheduler looks for work', async () => {
    const { app, heartbeat } = await testServer();
    heartbeat.beat();
    const res = await probe(app, '/readyz');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, scheduler: { ok: true } } });
    expect(JSON.stringify(body)).not.toMatch(/secret|password|token/i);
  });

  it('/readyz is 503 and says which check failed when the scheduler is not running', async () => {
    const { app, heartbeat } = await testServer();
    heartbeat.stopped();
    const res = await probe(app, '/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not_ready', checks: { database: { ok: true }, scheduler: { ok: false, detail: 'The scheduler is not running.' } } });
  });

  it('/readyz is 503 when the database does not answer', async () => {
    const store = openDatabase(':memory:');
    const { app, heartbeat } = await testServer({ database: store });
    heartbeat.beat();
    await store.close();
    const res = await probe(app, '/readyz');
    expect(res.status).toBe(503);
    expect((await bodyOf(res)).checks.database?.ok).toBe(false);
  });

  it('/readyz is 503 when the database lacks a migration of this build', async () => {
    const store = openDatabase(':memory:');
    const { app, heartbeat } = await testServer({ database: store });
    heartbeat.beat();
    store.sqlite.prepare('delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)').run();
    const res = await probe(app, '/readyz');
    expect(res.status).toBe(503);
    expect((await bodyOf(res)).checks.migrations).toEqual({ ok: false, detail: 'The database lacks migrations of this build.' });
  });

  it('the scheduler goes not ready once quiet for longer than its grace', () => {
    let now = 0;
    const heartbeat = new SchedulerHeartbeat(() => now, 30_000);
    heartbeat.beat();
    now = 30_000;
    expect(heartbeat.check()).toEqual({ ok: true });
    now = 31_000;
    expect(heartbeat.check()).toEqual({ ok: false, detail: 'The scheduler has not looked for work for 31 s.' });
  });
});

describe('/metrics, as an attacker (issue 16)', () => {
  it('is not served at all without AUTOPROV_METRICS_TOKEN (and never falls to the console)', async () => {
    const { app } = await testServer();
    const res = await probe(app, '/metrics');
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error.message).toMatch(/AUTOPROV_METRICS_TOKEN/);
  });

  it('refuses no token, a wrong one, a prefix of it, the token plus more, and another scheme: 401 each time', async () => {
    const { app } = await testServer({ metricsToken: token });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${'x'.repeat(40)}` },
      { authorization: `Bearer ${token.slice(0, -1)}n` },
      { authorization: `Bearer ${token.slice(0, 20)}` },
      { authorization: `Bearer ${token}m` },
      { authorization: `Basic ${Buffer.from(`metrics:${token}`).toString('base64')}` },
      { authorization: token },
    ];
    for (const headers of attempts) {
      const res = await probe(app, '/metrics', headers);
      expect({ headers, status: res.status }).toEqual({ headers, status: 401 });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const text = await res.text();
      expect(text).not.toContain('autoprov_');
      expect(text).not.toContain(token);
    }
  });

  it('answers Prometheus text to the right bearer token', async () => {
    const { app } = await testServer({ metricsToken: token });
    const res = await probe(app, '/metrics', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE autoprov_runs_total counter');
    expect(sample(text, 'autoprov_run_queue{state="pending"}')).toBe(0);
    // The process's own figures come too (prom-client's default metrics).
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('metrics of a run against the demo app (issue 16)', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await startDemoApp();
  });
  afterAll(() => demo.close());

  it('counts the run by trigger and result, its creates by app, and the requests it sent', async () => {
    const { server, su, api, idle } = await serverWithGoToMeeting(demo, { metricsToken: token });
    const scrape = async () => (await probe(server.app, '/metrics', { authorization: `Bearer ${token}` })).text();
    const before = await scrape();
    expect(sample(before, 'autoprov_runs_total{trigger="activation",result="succeeded"}')).toBeUndefined();

    await su.request('PUT', `${api}/configuration/activation`, { active: true });
    await idle();
    const after = await scrape();
    const run = (await server.db.select().from(syncRuns)).find((r) => r.trigger === 'activation')!;
    expect(run.state).toBe('succeeded');
    const created = (await server.db.select().from(provisionedAccounts)).length;
    expect(created).toBeGreaterThan(0);

    expect(sample(after, 'autoprov_runs_total{trigger="activation",result="succeeded"}')).toBe(1);
    expect(sample(after, 'autoprov_operations_total{app="gotomeeting",kind="create",result="succeeded"}')).toBe(created);
    expect(sample(after, 'autoprov_operations_total{app="gotomeeting",kind="create",result="failed"}')).toBeUndefined();
    // At least one request per account created, all answered.
    expect(sample(after, 'autoprov_app_requests_total{app="gotomeeting",outcome="success"}')).toBeGreaterThanOrEqual(created);
    expect(sample(after, 'autoprov_run_queue{state="pending"}')).toBe(0);
    expect(sample(after, 'autoprov_run_queue{state="running"}')).toBe(0);
  });
});

describe("the app's 429s (issue 16, E-18)", () => {
  it('counts a request the app refused as too many apart from the ones it answered', async () => {
    let refused = false;
    const app = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = refused ? 200 : 429;
        refused = true;
        res.writeHead(status, { 'content-type': 'application/scim+json', ...(status === 429 ? { 'retry-after': '0' } : {}) });
        res.end(JSON.stringify(status === 429 ? { detail: 'Too many requests' } : { schemas: [], totalResults: 0, Resources: [] }));
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/scim/v2`;
    try {
      const store = openDatabase(':memory:');
      const secrets = new SecretBox(randomBytes(32));
      const id = randomUUID();
      await store.db.insert(appConfigurations).values({ id, appKey: 'custom-scim', state: 'active', endpointUrl: url });
      await storeCredentials(store.db, secrets, id, { kind: 'bearer', token: 'app-token', origin: new URL(url).origin });
      const metrics = new ServerMetrics(store.db, { runsEngine: false, startedAt: new Date() });
      const appFor = metrics.countOperations(appConnector(store.db, secrets, {}, metrics.appTraffic));
      const port = await appFor(id);
      expect(await port.findUserByUserName('ada@example.com')).toBeNull();
      const text = await metrics.registry.metrics();
      expect(sample(text, 'autoprov_app_requests_total{app="custom-scim",outcome="throttled"}')).toBe(1);
      expect(sample(text, 'autoprov_app_requests_total{app="custom-scim",outcome="success"}')).toBe(1);
      // A read is not an operation; a web-only process reports no runs of its own.
      expect(text).not.toContain('autoprov_operations_total{');
      expect(text).not.toContain('autoprov_runs_total');
      await appFor.close();
      await store.close();
    } finally {
      app.closeAllConnections();
      app.close();
    }
  });
});
