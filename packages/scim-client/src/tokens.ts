import { Agent, errors, type Dispatcher } from 'undici';
import { ScimError } from './errors.js';
import { BodyTooLargeError, discardBody, readCappedText } from './http-body.js';
import { USER_AGENT } from './transport.js';

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
  /** How long the token endpoint has to answer, headers and body (15 s). */
  timeoutMs?: number;
  /** Largest answer accepted: a token is a few kilobytes (64 KiB). */
  maxBodyBytes?: number;
}

/**
 * The token endpoint's own connections: undici as for SCIM calls, with no redirect interceptor
 * (a 3xx is an answer, never followed: the refresh token and client secret go to the endpoint
 * stored at authorization, nowhere else) and whatever global dispatcher a process sets ignored.
 */
const tokenEndpointAgent = new Agent({ connect: { timeout: 10_000 } });

/** OAuth 2.0 refresh-token grant (RFC 6749 §6), client authenticated with HTTP Basic. */
export function oauthRefreshToken(options: OAuthRefreshOptions): TokenProvider {
  const granted = originOf(options.origin);
  let current = options.tokens;
  let refreshing: Promise<string> | null = null;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;

  /** The endpoint's answer below 300 or from 400 to 499, read within the limits; a ScimError otherwise. */
  const post = async (refreshToken: string): Promise<{ status: number; text: string }> => {
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const deadline = performance.now() + timeoutMs;
    let res: Dispatcher.ResponseData;
    try {
      const endpoint = new URL(options.tokenEndpoint);
      res = await tokenEndpointAgent.request({
        origin: endpoint.origin,
        path: `${endpoint.pathname}${endpoint.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json', 'user-agent': USER_AGENT },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // A refresh is rare: no connection is kept open for the next one.
        reset: true,
      });
    } catch (err) {
      throw new ScimError('transient', unreachable(err));
    }
    if (res.statusCode >= 500) {
      discardBody(res);
      throw new ScimError('transient', `The app's token endpoint answered HTTP ${res.statusCode}.`, res.statusCode);
    }
    if (res.statusCode >= 300 && res.statusCode < 400) {
      discardBody(res);
      throw new ScimError('unauthorized', `The app's token endpoint redirected the request (HTTP ${res.statusCode}); autoprov does not follow it: re-authorize.`, res.statusCode);
    }
    try {
      return { status: res.statusCode, text: await readCappedText(res, maxBodyBytes, deadline) };
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        throw new ScimError('unauthorized', `The app's token endpoint sent more than ${maxBodyBytes} bytes, which is no token: re-authorize.`, res.statusCode);
      }
      throw new ScimError('transient', unreachable(err));
    }
  };

  const refresh = async (): Promise<string> => {
    if (!current.refreshToken) throw new ScimError('unauthorized', 'The authorization expired and cannot be renewed: re-authorize.', 401);
    const res = await post(current.refreshToken);
    const body = parseObject(res.text);
    if (res.status < 200 || res.status > 299 || !body || typeof body.access_token !== 'string') {
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

function unreachable(err: unknown): string {
  const timedOut = err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError;
  if (timedOut) return "The app's token endpoint did not answer in time.";
  const e = err as Error;
  return `The app's token endpoint cannot be reached: ${String(e.cause ?? e.message)}`;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
