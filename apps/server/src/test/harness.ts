import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { admins, openDatabase } from '@autoprov/db';
import { builtInDirectory, latestChangeId, seedDemoOrganisation, systemClock } from '@autoprov/directory';
import { appConnector, ProvisioningScheduler } from '@autoprov/engine';
import type { AppsSettings } from '../deps.js';
import { GoogleDirectorySync, type GoogleEndpoints } from '../directory-source/google-source.js';
import { SecretBox } from '@autoprov/secrets';
import type { AdminRole } from '@autoprov/contract';
import { createApp } from '../app.js';
import { hashPassword } from '../auth/passwords.js';
import { sessionStore } from '../auth/sessions.js';
import { SetupToken } from '../auth/setup-token.js';

export const publicUrl = 'http://127.0.0.1:3000';

/** A freshly migrated in-memory database with the demo organisation, and the app on top. */
export function testServer(options: { apps?: AppsSettings; google?: GoogleEndpoints } = {}) {
  const store = openDatabase(':memory:');
  seedDemoOrganisation(store.db, systemClock);
  const setupToken = new SetupToken();
  const secrets = new SecretBox(randomBytes(32));
  const scheduler = new ProvisioningScheduler(
    { db: store.db, clock: systemClock, directory: builtInDirectory(store.db), appFor: appConnector(store.db, secrets) },
    { latestDirectoryChange: () => latestChangeId(store.db) },
  );
  const googleSync = new GoogleDirectorySync({ db: store.db, clock: systemClock, secrets, google: options.google ?? {}, logger: pino({ level: 'silent' }) });
  const app = createApp({
    db: store.db,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    setupToken,
    publicUrl,
    secrets,
    apps: options.apps ?? { vendorUrls: {}, oauthClients: { gotomeeting: { clientId: 'autoprov', clientSecret: 'autoprov-demo-secret' } } },
    provisioning: scheduler,
    google: options.google ?? {},
    googleSync,
    sessions: sessionStore(store.db, systemClock, false),
  });

  async function addAdmin(role: AdminRole, password = 'correct horse battery') {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    store.db
      .insert(admins)
      .values({ id: randomUUID(), email, name: role, role, passwordHash: await hashPassword(password), createdAt: new Date() })
      .run();
    return { email, password };
  }

  /** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
  function client() {
    let cookie = '';
    let csrfToken = '';
    async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
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
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0]!;
      const text = await res.text();
      const json = text ? JSON.parse(text) : null;
      if (json?.csrfToken) csrfToken = json.csrfToken;
      return { status: res.status, json, headers: res.headers };
    }
    return {
      request,
      /** A GET answered as is (CSV and other non-JSON bodies). */
      raw: (path: string) => app.request(new URL(path, publicUrl).href, { headers: { origin: publicUrl, ...(cookie ? { cookie } : {}) } }),
      get: (path: string) => request('GET', path),
      post: (path: string, body?: unknown) => request('POST', path, body ?? {}),
      patch: (path: string, body: unknown) => request('PATCH', path, body),
      delete: (path: string) => request('DELETE', path),
      signIn: (email: string, password: string) => request('POST', '/api/session', { email, password }),
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

  return { app, db: store.db, setupToken, addAdmin, client, signedIn, scheduler, secrets, googleSync };
}
