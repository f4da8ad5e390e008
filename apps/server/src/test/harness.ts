import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { admins, type OpenDatabase } from '@autoprov/db';
import { openTestDatabase } from '@autoprov/db/testing';
import { builtInDirectory, seedDemoOrganisation, systemClock, type Clock } from '@autoprov/directory';
import { appConnector, ProvisioningScheduler } from '@autoprov/engine';
import type { AppsSettings } from '../deps.js';
import { GoogleDirectorySync, type GoogleEndpoints } from '../directory-source/google-source.js';
import { SecretBox } from '@autoprov/secrets';
import type { AdminRole } from '@autoprov/contract';
import { AlertCenter } from '../alerts/alert-center.js';
import type { RetryPolicy } from '../alerts/delivery.js';
import { createApp } from '../app.js';
import { ServerMetrics } from '../operations/metrics.js';
import { readinessChecks, SchedulerHeartbeat } from '../operations/readiness.js';
import { hashPassword } from '../auth/passwords.js';
import { sessionStore } from '../auth/sessions.js';
import { SetupToken } from '../auth/setup-token.js';

export const publicUrl = 'http://127.0.0.1:3000';

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-11-25T09:00:00Z')) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

export interface TestServerOptions {
  apps?: AppsSettings;
  google?: GoogleEndpoints;
  clock?: Clock;
  /** Another app instance on an existing database (a restart), with the same secret key. */
  database?: OpenDatabase;
  secretKey?: Buffer;
  trustedProxies?: string[];
  idleTimeoutMs?: number;
  /** L-7: how alert deliveries are retried (tests keep it short). */
  alertRetry?: RetryPolicy;
  /** Serves /metrics with this bearer token, the way main.ts wires them (issue 16). */
  metricsToken?: string;
  /** How long the SCIM client waits between retries of a failed request (tests of a down app keep it short). */
  appBackoffMs?: number;
}

/** A freshly migrated in-memory database with the demo organisation, and the app on top. */
export async function testServer(options: TestServerOptions = {}) {
  const clock = options.clock ?? systemClock;
  const store = options.database ?? (await openTestDatabase());
  if (!options.database) await seedDemoOrganisation(store.db, systemClock);
  const setupToken = new SetupToken();
  const secretKey = options.secretKey ?? randomBytes(32);
  const secrets = new SecretBox(secretKey);
  const alerts = new AlertCenter({ db: store.db, secrets, clock, logger: pino({ level: 'silent' }), publicUrl, retry: options.alertRetry ?? { delaysMs: [10, 20] } });
  // Journeys against the demo app are not about pacing (E-18 has tests of its own): the
  // limits these tests were written for, not GoTo's 10 requests a second.
  // Counted as main.ts counts them; the engine itself knows nothing of metrics.
  const metrics = new ServerMetrics(store.db, { runsEngine: true, startedAt: new Date(0) });
  const heartbeat = new SchedulerHeartbeat();
  const scheduler = new ProvisioningScheduler(
    {
      db: store.db,
      clock: systemClock,
      directory: builtInDirectory(store.db),
      appFor: metrics.countOperations(
        appConnector(
          store.db,
          secrets,
          { requestsPerSecond: 50, concurrency: 8, ...(options.appBackoffMs ? { backoffMs: options.appBackoffMs } : {}) },
          metrics.appTraffic,
        ),
      ),
      alerts,
    },
    { onLook: () => heartbeat.beat() },
  );
  const googleSync = new GoogleDirectorySync({ db: store.db, clock: systemClock, secrets, google: options.google ?? {}, logger: pino({ level: 'silent' }) });
  const app = createApp({
    db: store.db,
    clock,
    logger: pino({ level: 'silent' }),
    setupToken,
    publicUrl,
    secrets,
    apps: options.apps ?? { vendorUrls: {}, oauthClients: { gotomeeting: { clientId: 'autoprov', clientSecret: 'autoprov-demo-secret' } } },
    provisioning: scheduler,
    google: options.google ?? {},
    googleSync,
    alerts,
    trustedProxies: options.trustedProxies ?? [],
    sessions: sessionStore(store.db, clock, { secureCookies: false, idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000 }),
  }, {
    operations: {
      readiness: readinessChecks(store, heartbeat),
      ...(options.metricsToken ? { metrics: { registry: metrics.registry, token: options.metricsToken } } : {}),
    },
  });

  async function addAdmin(role: AdminRole, password = 'correct horse battery') {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    await store.db
      .insert(admins)
      .values({ id: randomUUID(), email, name: role, role, passwordHash: await hashPassword(password), createdAt: new Date() });
    return { email, password };
  }

  /**
   * A browser-like client: keeps its cookies and sends the CSRF token on writes. `address` is
   * the socket's peer address the server sees.
   */
  function client(options: { address?: string } = {}) {
    const cookies = new Map<string, string>();
    let csrfToken = '';
    const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const socket = { incoming: { socket: { remoteAddress: options.address ?? '127.0.0.1' } } };
    async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const cookie = cookieHeader();
      // Full URLs: the server answers only at its public address (S-6, DNS rebinding).
      const res = await app.request(new URL(path, publicUrl).href, {
        method,
        headers: {
          origin: publicUrl,
          ...(cookie ? { cookie } : {}),
          ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }, socket);
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(pair.indexOf('=') + 1);
        if (value === '' || attributes.some((a) => /max-age=0/i.test(a.trim()))) cookies.delete(name.trim());
        else cookies.set(name.trim(), value);
      }
      const text = await res.text();
      const json = text ? JSON.parse(text) : null;
      if (json?.csrfToken) csrfToken = json.csrfToken;
      return { status: res.status, json, headers: res.headers };
    }
    return {
      request,
      /** A GET answered as is (CSV and other non-JSON bodies). */
      raw: (path: string) => app.request(new URL(path, publicUrl).href, { headers: { origin: publicUrl, ...(cookies.size ? { cookie: cookieHeader() } : {}) } }, socket),
      get: (path: string) => request('GET', path),
      post: (path: string, body?: unknown) => request('POST', path, body ?? {}),
      patch: (path: string, body: unknown) => request('PATCH', path, body),
      put: (path: string, body: unknown) => request('PUT', path, body),
      delete: (path: string) => request('DELETE', path),
      signIn: (email: string, password: string, code?: string) => request('POST', '/api/session', { email, password, ...(code ? { code } : {}) }),
      /** Drops one cookie, as a browser whose cookie expired or was cleared. */
      forgetCookie: (name: string) => cookies.delete(name),
      /** The same browser somewhere else: takes another client's cookies. */
      useCookiesOf: (other: { cookieNames(): string[]; cookieValue(name: string): string | undefined }) => {
        for (const name of other.cookieNames()) cookies.set(name, other.cookieValue(name)!);
      },
      cookieValue: (name: string) => cookies.get(name),
      cookieNames: () => [...cookies.keys()],
      forgetCsrfToken: () => {
        csrfToken = '';
      },
    };
  }

  async function signedIn(role: AdminRole) {
    const credentials = await addAdmin(role);
    const c = client();
    const res = await c.signIn(credentials.email, credentials.password);
    if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.json)}`);
    return c;
  }

  return { app, db: store.db, store, secretKey, setupToken, addAdmin, client, signedIn, scheduler, secrets, googleSync, alerts, metrics, heartbeat };
}
