// The real API on a database file, with a signed-in read-only admin: what the benchmarks call.
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { admins, openDatabase } from '@autoprov/db';
import { builtInDirectory, systemClock } from '@autoprov/directory';
import { appConnector, ProvisioningScheduler } from '@autoprov/engine';
import { SecretBox } from '@autoprov/secrets';
import { AlertCenter } from '../src/alerts/alert-center.js';
import { createApp } from '../src/app.js';
import { GoogleDirectorySync } from '../src/directory-source/google-source.js';
import { hashPassword } from '../src/auth/passwords.js';
import { sessionStore } from '../src/auth/sessions.js';
import { SetupToken } from '../src/auth/setup-token.js';

const publicUrl = 'http://127.0.0.1:3000';

/** `cookie`: a session made by another process on the same file (so this one does no scrypt). */
export async function benchServer(file: string, cookie?: string) {
  const store = openDatabase(file);
  const secrets = new SecretBox(randomBytes(32));
  const alerts = new AlertCenter({ db: store.db, secrets, clock: systemClock, logger: pino({ level: 'silent' }), publicUrl });
  const scheduler = new ProvisioningScheduler(
    { db: store.db, clock: systemClock, directory: builtInDirectory(store.db), appFor: appConnector(store.db, secrets), alerts },
  );
  const app = createApp({
    db: store.db,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    setupToken: new SetupToken(),
    publicUrl,
    secrets,
    apps: { vendorUrls: {}, oauthClients: {} },
    provisioning: scheduler,
    google: {},
    googleSync: new GoogleDirectorySync({ db: store.db, clock: systemClock, secrets, google: {}, logger: pino({ level: 'silent' }) }),
    alerts,
    trustedProxies: [],
    sessions: sessionStore(store.db, systemClock, { secureCookies: false, idleTimeoutMs: 30 * 60_000 }),
  });
  const get = (path: string, session: string) => app.request(path, { headers: { cookie: session, origin: publicUrl } });
  if (cookie) return { ...store, cookie, get: (path: string) => get(path, cookie) };
  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  await store.db.insert(admins).values({ id: randomUUID(), email, name: 'Bench', role: 'read_only', passwordHash: await hashPassword('bench password 123'), createdAt: new Date() });
  const signIn = await app.request('/api/session', {
    method: 'POST',
    headers: { origin: publicUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'bench password 123' }),
  });
  const session = signIn.headers.get('set-cookie')!.split(';')[0]!;
  return { ...store, cookie: session, get: (path: string) => get(path, session) };
}
