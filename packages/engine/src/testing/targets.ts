import { randomBytes } from 'node:crypto';
import { createDemoApp, demoAppSchema, revokeEverything } from '@autoprov/demo-app';
import { authorizeLikeABrowser } from '@autoprov/demo-app/testing';
import { startScimmyServer } from '@autoprov/scim-client/testing';

export type RemoteUser = Record<string, unknown> & { id: string; userName: string; active: boolean };
export interface RemoteGroup {
  displayName: string;
  members: { value: string }[];
}

/** A SCIM service the engine tests provision into, seen from the app's side. */
export interface Target {
  baseUrl: string;
  /** A token the service accepts now. */
  token: string;
  users(): RemoteUser[];
  userById(id: string): RemoteUser | undefined;
  groups(): RemoteGroup[];
  clear(): void;
  /** The app withdraws every token it gave (as when its admin password changes). */
  revoke(): Promise<void>;
  /** A new authorization; returns the new token. */
  reauthorize(): Promise<string>;
  close(): Promise<void>;
}

export async function scimmyTarget(): Promise<Target> {
  const server = await startScimmyServer({ token: 'good' });
  const target: Target = {
    baseUrl: server.baseUrl,
    token: 'good',
    users: () => [...server.users.values()] as RemoteUser[],
    userById: (id) => server.users.get(id) as RemoteUser | undefined,
    groups: () => [...server.groups.values()] as unknown as RemoteGroup[],
    clear: () => {
      server.users.clear();
      server.groups.clear();
      target.token = 'good';
      server.rotateToken('good');
    },
    revoke: async () => server.rotateToken(randomBytes(8).toString('hex')),
    reauthorize: async () => {
      target.token = randomBytes(8).toString('hex');
      server.rotateToken(target.token);
      return target.token;
    },
    close: () => server.close(),
  };
  return target;
}

export const demoClient = { clientId: 'autoprov', clientSecret: 'demo-secret', redirectUri: 'http://127.0.0.1:3000/api/oauth/callback' };
const demoAdmin = { adminEmail: 'admin@example.com', adminPassword: 'demo-admin-password' };

/** The demo app in this process, on 127.0.0.1, with an in-memory database. */
export async function startTestDemoApp(verifiedDomains = ['example.com']) {
  const app = await createDemoApp({
    databaseFile: ':memory:',
    accountKey: '4821937',
    verifiedDomains,
    ...demoAdmin,
    clientId: demoClient.clientId,
    clientSecret: demoClient.clientSecret,
    redirectUris: [demoClient.redirectUri],
  });
  await app.listen(0);
  return app;
}

/** W-2 as an admin walks it in a browser: sign in to the app, allow, come back with tokens. */
export async function authorizeTestDemoApp(app: Awaited<ReturnType<typeof startTestDemoApp>>) {
  return (await authorizeLikeABrowser({ appUrl: app.url, ...demoClient, ...demoAdmin })).tokens;
}

export async function demoAppTarget(): Promise<Target> {
  const app = await startTestDemoApp();
  const authorize = async () => (await authorizeTestDemoApp(app)).access_token;
  const toRemote = (r: { id: string; userName: string; active: boolean; productAccess: string; resource: Record<string, unknown> }): RemoteUser => ({
    ...r.resource,
    id: r.id,
    userName: r.userName,
    active: r.active,
    roles: [{ value: r.productAccess }],
  });
  const target: Target = {
    baseUrl: app.scimBaseUrl(),
    token: await authorize(),
    users: () => app.db.query.users.findMany().sync().map(toRemote),
    userById: (id) => {
      const row = app.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, id) }).sync();
      return row ? toRemote(row) : undefined;
    },
    groups: () => app.db.query.groups.findMany().sync(),
    clear: () => {
      app.db.delete(demoAppSchema.users).run();
      app.db.delete(demoAppSchema.groups).run();
      app.db.delete(demoAppSchema.outbox).run();
    },
    revoke: async () => revokeEverything(app.db),
    reauthorize: async () => (target.token = await authorize()),
    close: () => app.close(),
  };
  return target;
}
