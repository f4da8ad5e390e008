import { ScimError } from './errors.js';

/** Where the bearer token comes from; `refresh` is called once when the app answers 401. */
export interface TokenProvider {
  accessToken(): Promise<string>;
  /** A new token, or a ScimError `unauthorized` when the authorization is gone (revoked). */
  refresh(): Promise<string>;
}

/** A token the admin pasted: it cannot be refreshed. */
export function staticToken(token: string): TokenProvider {
  return {
    accessToken: async () => token,
    refresh: async () => {
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
      const why = typeof body?.error_description === 'string' ? body.error_description : typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
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
    async accessToken() {
      // Renew a minute early rather than spend a request on a 401.
      if (current.expiresAt && current.expiresAt.getTime() - Date.now() < 60_000 && current.refreshToken) return this.refresh();
      return current.accessToken;
    },
    refresh() {
      // Concurrent 401s share one refresh: a rotated refresh token can be used only once.
      refreshing ??= refresh().finally(() => (refreshing = null));
      return refreshing;
    },
  };
}
