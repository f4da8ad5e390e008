
import { and, eq, lt } from 'drizzle-orm';
import * as oauth from 'openid-client';
import { z } from 'zod';
import { AppError, type BearerTokenInput, type CatalogEntry, type OAuthClientInput } from '@autoprov/contract';
import { appConfigurations, pendingAuthorizations, type ConfigurationRow } from '@autoprov/db';
import type { Actor } from '@autoprov/directory';
import { appCredentialsSchema, credentialsSummary, storeCredentials } from '@autoprov/engine';
import type { ServerDeps } from '../deps.js';
import { requireEntry } from './catalog.js';
import { recordAuthorization } from './lifecycle.js';
import { reachStep } from './wizard.js';

type Deps = Pick<ServerDeps, 'db' | 'clock' | 'apps' | 'secrets' | 'publicUrl' | 'provisioning'>;

/** An authorization the admin does not finish within this time has to be started again. */
const pendingTtlMs = 10 * 60 * 1000;

const pendingSchema = z.object({
  verifier: z.string(),
  redirectUri: z.string(),
  origin: z.string(),
  client: z.object({ issuer: z.string().optional(), authorizationUrl: z.string(), tokenUrl: z.string(), clientId: z.string(), clientSecret: z.string(), scope: z.string() }),
});

export const oauthCallbackPath = '/api/oauth/callback';

function clientSettings(deps: Deps, entry: CatalogEntry, given: OAuthClientInput | undefined) {
  const builtIn = deps.apps.oauthClients[entry.key];
  if (entry.oauth && builtIn) return { ...entry.oauth, ...builtIn };
  if (!given) {
    throw new AppError('validation_failed', 'Give the OAuth client autoprov should use with this app.', { 'client.clientId': 'Enter the client ID' });
  }
  return given;
}

/** The origin of a catalog template whose scheme, host and port are fixed (GoToMeeting's). */
function fixedOrigin(template: string | null): string | null {
  const authority = template ? /^https?:\/\/[^/]*/.exec(template)?.[0] : undefined;
  return authority && !authority.includes('{') ? new URL(authority).origin : null;
}

/**
 * S-5: the origin a new authorization is granted for, decided now and sealed with it: the
 * catalog's address for the app, else the endpoint the admin gives with the grant. The stored
 * credential is sent nowhere else; another origin needs another grant.
 */
function grantOrigin(entry: CatalogEntry, given: string | undefined, field: string): string {
  const fixed = fixedOrigin(entry.endpointTemplate);
  const declared = given ? new URL(given).origin : null;
  if (fixed) {
    if (declared && declared !== fixed) {
      throw new AppError('validation_failed', `${entry.name} answers at ${fixed}.`, { [field]: `${entry.name}'s endpoint is at ${fixed}` });
    }
    return fixed;
  }
  if (!declared) {
    throw new AppError('validation_failed', 'Give the endpoint URL this authorization is for: it is sent to that address only.', { [field]: 'Enter the endpoint URL' });
  }
  return declared;
}

function configurationFor(client: z.infer<typeof pendingSchema>['client']): oauth.Configuration {
  const config = new oauth.Configuration(
    { issuer: client.issuer ?? new URL(client.authorizationUrl).origin, authorization_endpoint: client.authorizationUrl, token_endpoint: client.tokenUrl },
    client.clientId,
    { client_secret: client.clientSecret },
    oauth.ClientSecretBasic(client.clientSecret),
  );
  // The demo app and local test servers answer over plain HTTP on loopback.
  if (client.authorizationUrl.startsWith('http:') || client.tokenUrl.startsWith('http:')) oauth.allowInsecureRequests(config);
  return config;
}

/**
 * W-2: the address of the app's own authorization page (authorization code + PKCE). The PKCE
 * verifier and the client settings wait sealed in the database for the callback.
 */
export async function startAuthorization(deps: Deps, row: ConfigurationRow, adminId: string, given?: OAuthClientInput): Promise<string> {
  const entry = requireEntry(deps.apps, row.appKey);
  const client = clientSettings(deps, entry, given);
  const origin = grantOrigin(entry, given?.endpointUrl || undefined, 'client.endpointUrl');
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const redirectUri = `${deps.publicUrl}${oauthCallbackPath}`;
  const now = deps.clock.now();
  await deps.db.delete(pendingAuthorizations).where(lt(pendingAuthorizations.createdAt, new Date(now.getTime() - pendingTtlMs)));
  await deps.db
    .insert(pendingAuthorizations)
    .values({ state, configurationId: row.id, adminId, createdAt: now, sealed: deps.secrets.seal(JSON.stringify({ verifier, redirectUri, origin, client }), state) });
  const url = oauth.buildAuthorizationUrl(configurationFor(client), {
    redirect_uri: redirectUri,
    ...(client.scope ? { scope: client.scope } : {}),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  });
  return url.href;
}

/** W-2 alternative: a token the admin pasted (apps that take one). */
export async function storeBearerToken(deps: Deps, row: ConfigurationRow, input: BearerTokenInput, actor: Actor) {
  const entry = requireEntry(deps.apps, row.appKey);
  if (entry.authorization === 'oauth') throw new AppError('validation_failed', `${entry.name} is authorized with OAuth only.`, { token: 'This app does not take a token' });
  const origin = grantOrigin(entry, input.endpointUrl || undefined, 'endpointUrl');
  await storeCredentials(deps.db, deps.secrets, row.id, { kind: 'bearer', token: input.token, origin }, deps.clock.now());
  await afterAuthorized(deps, row, actor, 'Authorized with a bearer token');
}

async function afterAuthorized(deps: Deps, row: ConfigurationRow, actor: Actor, what: string) {
  const { reauthorized } = await recordAuthorization(deps, row, actor, what);
  await reachStep(deps, row, 'endpoint');
  // M-5: what changed while the app refused us arrives with a full pass.
  if (reauthorized) await deps.provisioning.requestRun(row.id, 'reauthorization');
}

export type CallbackOutcome = { appKey: string; ok: true; setupComplete: boolean } | { appKey: string | null; ok: false; message: string };

/** The app sends the admin back here with a code (or a refusal); the tokens are stored sealed. */
export async function completeAuthorization(deps: Deps, requestUrl: URL, admin: { id: string; label: string }): Promise<CallbackOutcome> {
  const state = requestUrl.searchParams.get('state');
  const pending = state ? (await deps.db.select().from(pendingAuthorizations).where(eq(pendingAuthorizations.state, state)).limit(1))[0] : undefined;
  if (!state || !pending) return { appKey: null, ok: false, message: 'This authorization is unknown or was already used. Start it again from the wizard.' };
  // Used once, whatever happens next.
  await deps.db.delete(pendingAuthorizations).where(and(eq(pendingAuthorizations.state, state)));
  const row = (await deps.db.select().from(appConfigurations).where(eq(appConfigurations.id, pending.configurationId)).limit(1))[0];
  if (!row) return { appKey: null, ok: false, message: 'The configuration this authorization was for no longer exists.' };
  const fail = (message: string): CallbackOutcome => ({ appKey: row.appKey, ok: false, message });
  if (pending.adminId !== admin.id) return fail('This authorization was started by another admin. Start it again.');
  if (deps.clock.now().getTime() - pending.createdAt.getTime() > pendingTtlMs) return fail('The authorization took too long. Start it again.');
  const error = requestUrl.searchParams.get('error');
  if (error) {
    const description = requestUrl.searchParams.get('error_description');
    const said = (description ?? error).slice(0, 300);
    return fail(error === 'access_denied' ? `The app's admin did not allow autoprov${description ? ` (${said})` : ''}.` : `The app refused the authorization: ${said}.`);
  }
  const { verifier, redirectUri, origin, client } = pendingSchema.parse(JSON.parse(deps.secrets.open(pending.sealed, state)));
  // The code is checked against the redirect URI the app was given, wherever the request came in.
  const currentUrl = new URL(redirectUri);
  currentUrl.search = requestUrl.search;
  let tokens;
  try {
    tokens = await oauth.authorizationCodeGrant(configurationFor(client), currentUrl, { pkceCodeVerifier: verifier, expectedState: state });
  } catch (err) {
    const e = err as Error & { error_description?: string; error?: string };
    return fail(`The app did not give autoprov its tokens: ${String(e.error_description ?? e.error ?? e.message).slice(0, 300)}`);
  }
  const expiresIn = tokens.expiresIn();
  const credentials = appCredentialsSchema.parse({
    kind: 'oauth',
    origin,
    tokenEndpoint: client.tokenUrl,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    expiresAt: expiresIn !== undefined ? new Date(deps.clock.now().getTime() + expiresIn * 1000).toISOString() : null,
  });
  await storeCredentials(deps.db, deps.secrets, row.id, { ...credentials, origin }, deps.clock.now());
  await afterAuthorized(deps, row, { adminId: admin.id, label: admin.label }, 'Authorized with OAuth');
  return { appKey: row.appKey, ok: true, setupComplete: row.setupCompletedAt !== null };
}

/** Which kind of authorization is stored and for which origin, never the secret itself (S-2, S-5). */
export function authorizationOf(deps: Pick<ServerDeps, 'secrets'>, row: ConfigurationRow): { kind: 'oauth' | 'bearer'; origin: string | null } | null {
  return credentialsSummary(deps.secrets, row);
}
