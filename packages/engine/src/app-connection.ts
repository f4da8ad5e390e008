import { createHash } from 'node:crypto';
import { z } from 'zod';
import { catalogEntry, requestLimitsOf, sharedEndpoint } from '@autoprov/contract';
import type { AppDatabase, ConfigurationRow } from '@autoprov/db';
import {
  checkBaseUrl,
  createAppChannel,
  CredentialOriginError,
  type AppChannel,
  type AppLimits,
  oauthRefreshToken,
  originOf,
  type PacerOptions,
  ScimClient,
  ScimError,
  staticToken,
  type TokenProvider,
  type TransportExchange,
  type TransportOptions,
} from '@autoprov/scim-client';
import type { SecretBox } from '@autoprov/secrets';
import { AppCallError, type AppForOptions, type AppPort, type AppTrafficObserver } from './ports.js';
import { scimAppPort } from './scim-app.js';
import { configurationRow, saveSealedCredentials } from './store.js';

/**
 * How autoprov authenticates to an app; stored sealed (S-2), never sent to the browser, and
 * bound to the origin it was granted for (S-5). `origin` is missing only from credentials
 * stored before S-5: they are bound at first use to their saved endpoint.
 */
export const appCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('oauth'),
    origin: z.string().optional(),
    tokenEndpoint: z.url(),
    clientId: z.string(),
    clientSecret: z.string(),
    accessToken: z.string(),
    refreshToken: z.string().nullable(),
    expiresAt: z.string().nullable(),
  }),
  z.object({ kind: z.literal('bearer'), origin: z.string().optional(), token: z.string().min(1) }),
]);
export type AppCredentials = z.infer<typeof appCredentialsSchema> & { origin: string };

export async function storeCredentials(db: AppDatabase, secrets: SecretBox, configurationId: string, credentials: AppCredentials, at = new Date()) {
  await saveSealedCredentials(db, configurationId, secrets.seal(JSON.stringify(credentials), configurationId), at);
}

export interface AppConnector {
  (configurationId: string, options?: AppForOptions): Promise<AppPort>;
  /** Closes every app's connections (at shutdown), letting requests in flight finish. */
  close(): Promise<void>;
}

/**
 * E-18: the tenant whose budget a configuration spends. Its endpoint names it, unless every
 * organisation's service answers at that address (Slack, Zoom, Miro): then the credential does
 * (the token, or the OAuth client), so two organisations never share one budget. Only a digest
 * is kept, in memory.
 */
export function tenantOf(endpointUrl: string, credentials: AppCredentials): string {
  const endpoint = checkBaseUrl(endpointUrl).toString().replace(/\/+$/, '');
  if (!sharedEndpoint(endpoint)) return endpoint;
  const who = credentials.kind === 'bearer' ? `bearer ${credentials.token}` : `oauth ${credentials.tokenEndpoint} ${credentials.clientId}`;
  return `${endpoint}#${createHash('sha256').update(who).digest('hex').slice(0, 32)}`;
}

/** The stricter of two limits: the lower pace (then the fewer in flight). */
const stricter = (a: AppLimits, b: AppLimits) => (b.ratePerSecond < a.ratePerSecond || (b.ratePerSecond === a.ratePerSecond && b.concurrency < a.concurrency) ? b : a);
const sameLimits = (a: AppLimits, b: AppLimits) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Builds each configuration's app port from its stored endpoint and sealed credentials. One
 * client per configuration is kept, so its ServiceProviderConfig spans runs; new credentials
 * (re-authorization) make a new one. Connections and limits live in one channel per tenant
 * (`tenantOf`), shared by every configuration that talks to it, and closed when none does.
 * `limits` are the caller's own (tests, benchmarks), over the app's; `pacing` gives the pacer
 * its clock (tests).
 */
export function appConnector(
  db: AppDatabase,
  secrets: SecretBox,
  limits: Partial<TransportOptions> = {},
  traffic?: AppTrafficObserver,
  pacing: PacerOptions = {},
): AppConnector {
  const cache = new Map<string, { key: string; tenant: string; port: AppPort }>();
  const channels = new Map<string, AppChannel>();

  /** E-18: the configuration's limits (a super-admin's over the catalog's), unless the caller sets its own. */
  function limitsOf(row: ConfigurationRow): AppLimits {
    const own = requestLimitsOf(row.appKey, row.limitsOverride);
    return {
      ratePerSecond: limits.requestsPerSecond ?? own.ratePerSecond,
      burst: limits.burst ?? limits.requestsPerSecond ?? own.burst,
      concurrency: limits.concurrency ?? own.concurrency,
      // The vendor's limits on some operations hold whatever the overall pace is set to.
      ...(own.perOperation ? { perOperation: own.perOperation } : {}),
    };
  }

  /**
   * The tenant's limits: those of the configuration asking, or a stricter one of another
   * configuration of the same tenant (one budget, paced by the most careful of them), each as
   * stored now, so a change is taken at the next connection without a restart.
   */
  async function tenantLimits(tenant: string, row: ConfigurationRow): Promise<AppLimits> {
    let chosen = limitsOf(row);
    for (const [id, other] of cache) {
      if (id === row.id || other.tenant !== tenant) continue;
      const stored = await configurationRow(db, id);
      if (stored?.sealedCredentials && !stored.deletedAt) chosen = stricter(chosen, limitsOf(stored));
    }
    return chosen;
  }

  async function channelFor(tenant: string, endpoint: string, row: ConfigurationRow): Promise<AppChannel> {
    const wanted = await tenantLimits(tenant, row);
    let channel = channels.get(tenant);
    if (!channel) {
      channel = createAppChannel(new URL(endpoint).origin, wanted, pacing);
      channels.set(tenant, channel);
    } else if (!sameLimits(channel.limits, wanted)) {
      // Every client of the tenant, a run going on included, is paced by them from now on.
      channel.setLimits(wanted);
    }
    return channel;
  }

  /** The configuration's client is gone: its tenant's connections close when nobody else uses them. */
  function drop(configurationId: string) {
    const gone = cache.get(configurationId);
    if (!gone) return;
    cache.delete(configurationId);
    if ([...cache.values()].some((c) => c.tenant === gone.tenant)) return;
    const channel = channels.get(gone.tenant);
    channels.delete(gone.tenant);
    void channel?.close();
  }

  const appFor = async function appFor(configurationId: string, options: AppForOptions = {}): Promise<AppPort> {
    const row = await configurationRow(db, configurationId);
    if (!row?.endpointUrl || !row.sealedCredentials) {
      drop(configurationId);
      throw new AppCallError('unauthorized', 'The app has not been authorized yet.');
    }
    const key = `${row.endpointUrl}|${row.sealedCredentials}`;
    const cached = cache.get(configurationId);
    const observed = options.onExchange !== undefined;
    if (cached?.key === key && !observed) {
      await channelFor(cached.tenant, row.endpointUrl, row);
      return cached.port;
    }
    const credentials = await readCredentials(db, secrets, row);
    if (!credentials) throw new AppCallError('unauthorized', 'The stored authorization cannot be read (was the secret key changed?): re-authorize.');
    const tenant = tenantOf(row.endpointUrl, credentials);
    if (cached && cached.tenant !== tenant) drop(configurationId);
    const tokens = tokensFor(db, secrets, configurationId, credentials, async () => {
      // The refreshed client stays valid: remember it under the new sealed value.
      const updated = await configurationRow(db, configurationId);
      if (updated?.sealedCredentials && !observed) cache.set(configurationId, { key: `${updated.endpointUrl}|${updated.sealedCredentials}`, tenant, port });
    });
    // E-20: an observed run gets a client of its own, so only its own requests are seen; it still
    // shares the tenant's channel, so its requests count against the app's limits (E-18).
    const appKey = row.appKey;
    const watchers = [observed ? options.onExchange : undefined, traffic ? (exchange: TransportExchange) => traffic(appKey, exchange) : undefined].filter((w) => w !== undefined);
    const onExchange = watchers.length > 0 ? (exchange: TransportExchange) => watchers.forEach((watch) => watch(exchange)) : undefined;
    const port: AppPort = scimAppPort(
      new ScimClient({
        baseUrl: row.endpointUrl,
        tokens,
        ...limits,
        channel: await channelFor(tenant, row.endpointUrl, row),
        // Issue 15 item 3: what this app refuses, from its catalog entry; the client respects it.
        quirks: catalogEntry(appKey)?.quirks,
        ...(onExchange ? { onExchange } : {}),
      }),
    );
    if (!observed) cache.set(configurationId, { key, tenant, port });
    return port;
  };
  return Object.assign(appFor, {
    close: async () => {
      cache.clear();
      const open = [...channels.values()];
      channels.clear();
      await Promise.all(open.map((c) => c.close()));
    },
  });
}

type CredentialRow = { id: string; sealedCredentials: string | null; endpointUrl: string | null };
type StoredCredentials = z.infer<typeof appCredentialsSchema>;

function sealedCredentials(secrets: SecretBox, row: CredentialRow): StoredCredentials | null {
  if (!row.sealedCredentials) return null;
  try {
    return appCredentialsSchema.parse(JSON.parse(secrets.open(row.sealedCredentials, row.id)));
  } catch {
    return null;
  }
}

/** What the console may say about the stored credentials: their kind and origin, never a secret. */
export function credentialsSummary(secrets: SecretBox, row: CredentialRow): { kind: AppCredentials['kind']; origin: string | null } | null {
  const stored = sealedCredentials(secrets, row);
  if (!stored) return null;
  return { kind: stored.kind, origin: stored.origin ?? (row.endpointUrl ? originOf(row.endpointUrl) : null) };
}

/**
 * The credentials, bound to their origin. Ones stored before S-5 are bound now, once, to the
 * endpoint they were saved with; with no saved endpoint they cannot be used (authorize again).
 */
async function readCredentials(db: AppDatabase, secrets: SecretBox, row: CredentialRow): Promise<AppCredentials | null> {
  const stored = sealedCredentials(secrets, row);
  if (!stored) return null;
  if (stored.origin) return { ...stored, origin: stored.origin };
  if (!row.endpointUrl) return null;
  const bound: AppCredentials = { ...stored, origin: originOf(row.endpointUrl) };
  await storeCredentials(db, secrets, row.id, bound);
  return bound;
}

/** Bearer token as given, or OAuth tokens refreshed (and stored sealed again) when they expire. */
function tokensFor(
  db: AppDatabase,
  secrets: SecretBox,
  configurationId: string,
  credentials: AppCredentials,
  onRefreshed: () => Promise<void> | void = () => {},
): TokenProvider {
  if (credentials.kind === 'bearer') return staticToken(credentials.token, credentials.origin);
  return oauthRefreshToken({
    origin: credentials.origin,
    tokenEndpoint: credentials.tokenEndpoint,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    tokens: {
      accessToken: credentials.accessToken,
      refreshToken: credentials.refreshToken,
      expiresAt: credentials.expiresAt ? new Date(credentials.expiresAt) : null,
    },
    onTokens: async (t) => {
      const next: AppCredentials = { ...credentials, accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt?.toISOString() ?? null };
      await storeCredentials(db, secrets, configurationId, next);
      await onRefreshed();
    },
  });
}

export type ConnectionCheck = { ok: true; message: string } | { ok: false; reason: string };

/** What an app said, shown to the admin: only from the granted origin, and never at length. */
const quoted = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/**
 * W-3: asks the endpoint for its ServiceProviderConfig and one user, with the stored
 * authorization, and says in words what is wrong. Nothing is written to the app. An endpoint
 * at another origin than the authorization's is not contacted at all (S-5).
 */
export async function checkAppConnection(
  db: AppDatabase,
  secrets: SecretBox,
  configurationId: string,
  endpointUrl: string,
  options: { accountKeyInUrl?: boolean; timeoutMs?: number } = {},
): Promise<ConnectionCheck> {
  const row = await configurationRow(db, configurationId);
  const credentials = row ? await readCredentials(db, secrets, row) : null;
  if (!credentials) return { ok: false, reason: 'Authorize autoprov first (the previous step): the connection is tested with that authorization.' };
  let host = endpointUrl;
  try {
    host = new URL(endpointUrl).host;
  } catch {
    // checkBaseUrl below says what is wrong with it
  }
  let channel: AppChannel | null = null;
  try {
    // Its own connection, closed when the check is done.
    channel = createAppChannel(checkBaseUrl(endpointUrl).origin, { concurrency: 2, ratePerSecond: 10, burst: 10 });
    const client = new ScimClient({
      baseUrl: endpointUrl,
      tokens: tokensFor(db, secrets, configurationId, credentials),
      maxRetries: 1,
      backoffMs: 200,
      timeoutMs: options.timeoutMs ?? 10_000,
      channel,
      quirks: row ? catalogEntry(row.appKey)?.quirks : undefined,
    });
    await client.serviceProviderConfig();
    let users = 0;
    for await (const _ of client.listUsers(1)) {
      users++;
      break;
    }
    return { ok: true, message: users > 0 ? 'Connected: the app answered as a SCIM 2.0 service and lists its users.' : 'Connected: the app answered as a SCIM 2.0 service (it has no users yet).' };
  } catch (err) {
    if (err instanceof CredentialOriginError) {
      return {
        ok: false,
        reason: `autoprov is authorized for ${err.grantedOrigin} only, and this endpoint is at ${err.targetOrigin}: nothing was sent to it. To use this address, authorize again for it (the previous step).`,
      };
    }
    if (!(err instanceof ScimError)) return { ok: false, reason: quoted((err as Error).message) };
    const said = quoted(err.reason);
    switch (err.kind) {
      case 'transient':
        return err.status
          ? { ok: false, reason: `The app at ${host} is not working right now (HTTP ${err.status}: ${said}). Try again in a moment.` }
          : { ok: false, reason: `autoprov cannot reach ${host}: check the address, and that the app is up. (${said})` };
      case 'unauthorized':
        return { ok: false, reason: `The app refused autoprov's authorization (${said}). Authorize again in the previous step.` };
      case 'not_found':
        return options.accountKeyInUrl
          ? { ok: false, reason: `The app has no account with this key (it answered: ${said}). Check the account key: the number after #accounts/ in your Admin Center's address.` }
          : { ok: false, reason: `No SCIM service answers at this address (HTTP 404: ${said}). Check the URL: it is the address before /Users.` };
      case 'bad_response':
        return { ok: false, reason: `This address answers, but not as a SCIM 2.0 service: ${said}` };
      default:
        return { ok: false, reason: said };
    }
  } finally {
    void channel?.close();
  }
}
