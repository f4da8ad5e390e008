import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import type { DemoDatabase } from './db/index.js';
import { sqliteAdapterFactory } from './oidc-adapter.js';

export const SCIM_SCOPE = 'scim:users';

export interface OidcOptions {
  issuer: string;
  /** The resource the access tokens are for: this app's SCIM service. */
  scimResource: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  cookieKey: string;
  signingJwk: Record<string, unknown>;
}

/**
 * The demo app's OAuth 2.0 authorization server (SPEC §6): oidc-provider, a certified
 * implementation, with authorization code + PKCE, refresh tokens and revocation.
 */
export function createProvider(db: DemoDatabase, options: OidcOptions): Provider {
  const provider = new Provider(options.issuer, {
    adapter: sqliteAdapterFactory(db),
    jwks: { keys: [options.signingJwk as never] },
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: `openid offline_access ${SCIM_SCOPE}`,
      },
    ],
    scopes: ['openid', 'offline_access', SCIM_SCOPE],
    claims: { openid: ['sub'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.scimResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContextWithOIDC, resource: string) => {
          if (resource !== options.scimResource) throw new Error('unknown resource');
          return { scope: SCIM_SCOPE, accessTokenFormat: 'opaque', accessTokenTTL: 60 * 60 };
        },
      },
    },
    // autoprov keeps working unattended: it always gets a refresh token.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      Grant: 365 * 24 * 60 * 60,
      Interaction: 60 * 60,
      RefreshToken: 90 * 24 * 60 * 60,
      Session: 24 * 60 * 60,
    },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [options.cookieKey] },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>${String(out.error_description ?? out.error).replace(/</g, '&lt;')}</p>`;
    },
  });
  return provider;
}
