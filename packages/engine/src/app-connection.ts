import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appConfigurations, type AppDatabase } from '@autoprov/db';
import { oauthRefreshToken, ScimClient, staticToken, type TransportOptions } from '@autoprov/scim-client';
import type { SecretBox } from '@autoprov/secrets';
import { AppCallError, type AppPort } from './ports.js';
import { scimAppPort } from './scim-app.js';

/** How autoprov authenticates to an app; stored sealed (S-2), never sent to the browser. */
export const appCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('oauth'),
    tokenEndpoint: z.url(),
    clientId: z.string(),
    clientSecret: z.string(),
    accessToken: z.string(),
    refreshToken: z.string().nullable(),
    expiresAt: z.string().nullable(),
  }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1) }),
]);
export type AppCredentials = z.infer<typeof appCredentialsSchema>;

export function storeCredentials(db: AppDatabase, secrets: SecretBox, configurationId: string, credentials: AppCredentials, at = new Date()) {
  db.update(appConfigurations)
    .set({ sealedCredentials: secrets.seal(JSON.stringify(credentials), configurationId), updatedAt: at })
    .where(eq(appConfigurations.id, configurationId))
    .run();
}

/**
 * Builds each configuration's app port from its stored endpoint and sealed credentials. One
 * client per configuration is kept, so its limits and ServiceProviderConfig span runs; new
 * credentials (re-authorization) make a new one.
 */
export function appConnector(db: AppDatabase, secrets: SecretBox, limits: Partial<TransportOptions> = {}) {
  const cache = new Map<string, { key: string; port: AppPort }>();
  return async function appFor(configurationId: string): Promise<AppPort> {
    const row = db.select().from(appConfigurations).where(eq(appConfigurations.id, configurationId)).get();
    if (!row?.endpointUrl || !row.sealedCredentials) throw new AppCallError('unauthorized', 'The app has not been authorized yet.');
    const key = `${row.endpointUrl}|${row.sealedCredentials}`;
    const cached = cache.get(configurationId);
    if (cached?.key === key) return cached.port;
    let credentials: AppCredentials;
    try {
      credentials = appCredentialsSchema.parse(JSON.parse(secrets.open(row.sealedCredentials, row.id)));
    } catch {
      throw new AppCallError('unauthorized', 'The stored authorization cannot be read (was the secret key changed?): re-authorize.');
    }
    const tokens =
      credentials.kind === 'bearer'
        ? staticToken(credentials.token)
        : oauthRefreshToken({
            tokenEndpoint: credentials.tokenEndpoint,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
            tokens: {
              accessToken: credentials.accessToken,
              refreshToken: credentials.refreshToken,
              expiresAt: credentials.expiresAt ? new Date(credentials.expiresAt) : null,
            },
            onTokens: (t) => {
              const next: AppCredentials = { ...credentials, accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt?.toISOString() ?? null };
              storeCredentials(db, secrets, configurationId, next);
              // The refreshed client stays valid: remember it under the new sealed value.
              const updated = db.select().from(appConfigurations).where(eq(appConfigurations.id, configurationId)).get();
              if (updated?.sealedCredentials) cache.set(configurationId, { key: `${updated.endpointUrl}|${updated.sealedCredentials}`, port });
            },
          });
    const port = scimAppPort(new ScimClient({ baseUrl: row.endpointUrl, tokens, ...limits }));
    cache.set(configurationId, { key, port });
    return port;
  };
}
