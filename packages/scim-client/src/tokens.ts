import { ScimError } from './errors.js';

/** S-5: scheme, host and port, as a credential is bound to them (`https://app.example`). */
export function originOf(url: string | URL): string {
  return new URL(url).origin;
}

/** A stored credential was asked for by a request to another origin: nothing was sent. */
export class CredentialOriginError extends ScimError {
  constructor(
    readonly grantedOrigin: string,
    readonly targetOrigin: string,
  ) {
    super('unauthorized', `autoprov's authorization is for ${grantedOrigin}; it is never sent to ${targetOrigin}. Authorize again for the new address.`);
    this.name = 'CredentialOriginError';
  }
}

/**
 * Where the bearer token comes from. A token is handed out only for a request to the origin it
 * was granted for (S-5): the one place the binding is enforced, so no caller can bypass it.
 * `refresh` is called once when the app answers 401.
 */
export interface TokenProvider {
  /** The origin the credential was granted for. */
  readonly origin: string;
  accessToken(target: URL): Promise<string>;
  /** A new token, or a ScimError `unauthorized` when the authorization is gone (revoked). */
  refresh(target: URL): Promise<string>;
}

function bound(origin: string, target: URL): void {
  if (target.origin !== origin) throw new CredentialOriginError(origin, target.origin);
}

/** A token the admin pasted for `origin`: it cannot be refreshed. */
export function staticToken(token: string, origin: string): TokenProvider {
  const granted = originOf(origin);
  return {
    origin: granted,
    accessToken: async (target) => {
      bound(granted, target);
      return token;
    },
    refresh: async (target) => {
      bound(granted, target);
      throw new ScimError('unauthorized', 'The app refused the bearer token. Enter a new token.', 401);
    },
  };
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

export interface OAuthRefreshOptions {
  /** The origin the tokens were granted for (S-5). */
  origin: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  tokens: OAuthTokens;
  /** Called with every new pair so the caller can store it (sealed). */
  onTokens(tokens: OAuthTokens): Promise<void> | void;
  fetch?: typeof fetch;
}

/** OAuth 2.0 refresh-token grant (RFC 6749 §6), client authenticated with HTTP Basic. */
export function oauthRefreshToken(options: OAuthRefreshOptions): TokenProvider {
  const granted = originOf(options.origin);
  let current = options.tokens;
  let refreshing: Promise<string> | null = null;
  const doFetch = options.fetch ?? fetch;

  const refresh = async (): Promise<string> => {
    if (!current.refreshToken) throw new ScimError('unauthorized', 'The authorization expired and cannot be renewed: re-authorize.', 401);
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    let res: Response;
    try {
      res = await doFetch(options.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refreshToken }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new ScimError('transient', `The app's token endpoint cannot be reached: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (res.status >= 500) throw new ScimError('transient', `The app's token endpoint answered HTTP ${res.status}.`, res.status);
    if (!res.ok || !body || typeof body.access_token !== 'string') {
      const said = typeof body?.error_description === 'string' ? body.error_description : typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
      const why = said.slice(0, 300);
      throw new ScimError('unauthorized', `The app no longer accepts autoprov's authorization (${why}): re-authorize.`, res.status);
    }
    current = {
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : current.refreshToken,
      expiresAt: typeof body.expires_in === 'number' ? new Date(Date.now() + body.expires_in * 1000) : null,
    };
    await options.onTokens(current);
    return current.accessToken;
  };

  return {
    origin: granted,
    async accessToken(target) {
      bound(granted, target);
      // Renew a minute early rather than spend a request on a 401.
      if (current.expiresAt && current.expiresAt.getTime() - Date.now() < 60_000 && current.refreshToken) return this.refresh(target);
      return current.accessToken;
    },
    async refresh(target) {
      bound(granted, target);
      // Concurrent 401s share one refresh: a rotated refresh token can be used only once.
      refreshing ??= refresh().finally(() => (refreshing = null));
      return refreshing;
    },
  };
}
