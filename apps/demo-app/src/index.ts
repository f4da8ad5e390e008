import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { openDemoDatabase } from './db/index.js';
import { account, verifiedDomains } from './db/schema.js';
import type { DemoAppOptions } from './env.js';
import { createProvider } from './oidc.js';
import { pages } from './pages.js';
import { keepInitialPassword, stillInitialPassword } from './initial-password.js';
import { hashPassword } from './passwords.js';
import { scimService } from './scim.js';
import { applyHeaders, securityHeaders } from './security-headers.js';
import { hashStoredTokens } from './oidc-adapter.js';

export type { DemoAppOptions } from './env.js';
export { revokeEverything } from './oidc-adapter.js';
export { schema as demoAppSchema } from './db/index.js';

const oauthPrefix = '/oauth';

/**
 * The built-in demo app (SPEC §6): an organisation with verified domains, an OAuth 2.0
 * authorization server, a SCIM 2.0 service, and its Admin Center pages, on one port.
 */
export async function createDemoApp(
  options: Omit<DemoAppOptions, 'port' | 'host' | 'publicUrl' | 'cookieKey'> & { publicUrl?: string | undefined; cookieKey?: string | undefined },
) {
  const { db, close: closeDb } = openDemoDatabase(options.databaseFile);
  hashStoredTokens(db);
  if (!db.select().from(account).get()) {
    const generated = options.adminPassword ? null : randomBytes(9).toString('base64url');
    const password = options.adminPassword ?? generated!;
    if (generated) keepInitialPassword(options.databaseFile, generated);
    const signingJwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
    db.insert(account)
      .values({
        id: 1,
        accountKey: options.accountKey,
        adminEmail: options.adminEmail,
        adminPasswordHash: await hashPassword(password),
        signingJwk,
        cookieKey: options.cookieKey ?? randomBytes(32).toString('hex'),
      })
      .run();
    for (const name of options.verifiedDomains) db.insert(verifiedDomains).values({ name }).onConflictDoNothing().run();
  }
  const { accountKey, signingJwk, cookieKey, adminPasswordHash } = db.select().from(account).get()!;
  const initialPassword = await stillInitialPassword(options.databaseFile, adminPasswordHash);

  let publicUrl = options.publicUrl ?? 'http://127.0.0.1';
  // The provider needs its issuer up front; with port 0 the real one is known only after
  // listen(), so the issuer is a getter-fed proxy of `publicUrl`.
  let provider: ReturnType<typeof createProvider> | null = null;
  const scimResource = () => `${publicUrl}/scim/v2/accounts/${accountKey}`;
  const makeProvider = () =>
    createProvider(db, {
      issuer: `${publicUrl}${oauthPrefix}`,
      scimResource: scimResource(),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUris: options.redirectUris,
      cookieKey,
      signingJwk,
    });

  let honoListener: ReturnType<typeof getRequestListener> | null = null;
  let headers: Record<string, string> = {};
  const build = () => {
    headers = securityHeaders(publicUrl, options.redirectUris);
    provider = makeProvider();
    const app = new Hono();
    app.route('/scim/v2/accounts', scimService({ db, provider, accountKey, scimResource: scimResource(), publicUrl: () => publicUrl }));
    app.route('/', pages({ db, provider, scimResource: scimResource(), publicUrl: () => publicUrl }));
    app.get('/', (c) => c.redirect('/admin'));
    honoListener = getRequestListener(app.fetch);
  };

  const server: Server = createServer((req: IncomingMessage & { originalUrl?: string }, res) => {
    applyHeaders(res, headers);
    if (req.url?.startsWith(`${oauthPrefix}/`) && provider) {
      // Mounted under /oauth: oidc-provider reads the mount path from originalUrl.
      req.originalUrl = req.url;
      req.url = req.url.slice(oauthPrefix.length);
      return void provider.callback()(req, res);
    }
    void honoListener!(req, res);
  });

  return {
    db,
    accountKey,
    /** The admin password made up on first start, while the admin has not changed it. */
    initialPassword,
    get provider() {
      return provider!;
    },
    get url() {
      return publicUrl;
    },
    scimBaseUrl: () => scimResource(),
    endpoints: () => ({
      authorization: `${publicUrl}${oauthPrefix}/auth`,
      token: `${publicUrl}${oauthPrefix}/token`,
      revocation: `${publicUrl}${oauthPrefix}/token/revocation`,
    }),
    async listen(port = 0, host = '127.0.0.1'): Promise<{ url: string }> {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const actual = (server.address() as AddressInfo).port;
      publicUrl = options.publicUrl ?? `http://${host}:${actual}`;
      build();
      return { url: publicUrl };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      closeDb();
    },
  };
}

export type DemoApp = Awaited<ReturnType<typeof createDemoApp>>;
