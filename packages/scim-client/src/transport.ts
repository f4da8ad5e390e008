import { errors, type Dispatcher } from 'undici';
import { createAppChannel, type AppChannel } from './channel.js';
import { kindOfStatus, reasonFrom, ScimError } from './errors.js';
import { BodyTooLargeError, headerOf, readCappedText } from './http-body.js';
import { operationOf } from './operation-limits.js';
import type { TokenProvider } from './tokens.js';

export interface TransportOptions {
  /** The app's SCIM base, e.g. `https://app.example/scim/v2/accounts/123`. */
  baseUrl: string;
  tokens: TokenProvider;
  timeoutMs?: number;
  /** Retries of a transient failure before giving up (E-8). */
  maxRetries?: number;
  /** First backoff; doubles each retry, with full jitter, capped at `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Limits of a channel made for this client alone (when no `channel` is given). */
  concurrency?: number;
  requestsPerSecond?: number;
  burst?: number;
  /** Retries of a request the app refused as too many (429): the app-wide pause paces them. */
  maxThrottledRetries?: number;
  /** The app's shared connections and limits; its origin must be the endpoint's. */
  channel?: AppChannel;
  /** Largest body accepted, so a runaway page cannot exhaust memory. */
  maxBodyBytes?: number;
  /** Told of every request sent and its answer, as sent (E-20 shows them; the observer masks secrets). */
  onExchange?: (exchange: TransportExchange) => void;
}

/** One request on the wire and what came back; `status` null when no answer came. */
export interface TransportExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
}

export interface ScimResponse {
  status: number;
  body: unknown;
  etag: string | null;
}

const placeholder = /\{[^}]*\}/;

/** autoprov's release, as it names itself to apps. */
export const AUTOPROV_VERSION = '0.1.0';
/** Sent on every request: some apps refuse one without a User-Agent (AWS IAM Identity Center). */
export const USER_AGENT = `autoprov/${AUTOPROV_VERSION}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RFC 7231 Retry-After: seconds or an HTTP date. */
function retryAfterMs(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function checkBaseUrl(baseUrl: string): URL {
  const found = placeholder.exec(baseUrl);
  if (found) throw new ScimError('bad_request', `The endpoint URL still contains ${found[0]}: replace it with your value.`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ScimError('bad_request', 'The endpoint URL is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ScimError('bad_request', 'The endpoint URL must start with https://.');
  return url;
}

/**
 * The one function every SCIM call goes through: limits, auth, timeouts, retries, and the
 * mapping of every answer to a result or a ScimError (authentik's pattern).
 */
export function createTransport(options: TransportOptions) {
  const baseUrl = checkBaseUrl(options.baseUrl);
  const base = baseUrl.toString().replace(/\/+$/, '');
  const owned = !options.channel;
  const channel = options.channel ?? createAppChannel(baseUrl.origin, {
      concurrency: options.concurrency ?? 8,
      ratePerSecond: options.requestsPerSecond ?? 50,
      burst: options.burst ?? options.requestsPerSecond ?? 50,
    });
  if (channel.origin !== baseUrl.origin) throw new Error(`A channel to ${channel.origin} cannot carry requests to ${baseUrl.origin}.`);
  const maxRetries = options.maxRetries ?? 4;
  const maxThrottledRetries = options.maxThrottledRetries ?? 10;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function once(method: string, url: URL, body: unknown, token: string): Promise<Answer> {
    // undici's own timers (no AbortController per request): one for the headers, one between
    // body chunks; the whole answer must also arrive within the timeout (checked as it comes).
    const deadline = performance.now() + timeoutMs;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/scim+json, application/json',
      'user-agent': USER_AGENT,
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
    };
    const sent = body === undefined ? undefined : JSON.stringify(body);
    const started = Date.now();
    let status: number | null = null;
    try {
      const res = await channel.pool.request({
        origin: channel.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: sent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // No redirect is followed (the pool has no redirect interceptor): a 3xx is an answer.
      });
      status = res.statusCode;
      const text = await readText(res, deadline);
      options.onExchange?.({ method, url: url.toString(), requestHeaders: headers, requestBody: sent ?? null, status, responseBody: text, durationMs: Date.now() - started, error: null });
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      const error = (err as Error).message;
      options.onExchange?.({ method, url: url.toString(), requestHeaders: headers, requestBody: sent ?? null, status, responseBody: null, durationMs: Date.now() - started, error });
      throw err;
    }
  }

  /** The body, refused as soon as it passes the limit: a runaway answer is never held whole. */
  async function readText(res: Dispatcher.ResponseData, deadline: number): Promise<string> {
    try {
      return await readCappedText(res, maxBodyBytes, deadline);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      const reason = err.declared !== null ? `The app sent ${err.declared} bytes in one answer; the limit is ${maxBodyBytes}.` : `The app sent more than ${maxBodyBytes} bytes in one answer.`;
      throw new ScimError('bad_response', reason, res.statusCode);
    }
  }

  function parseBody(text: string): unknown {
    if (!text.trim()) return null;
    try {
      return JSON.parse(text);
    } catch {
      return { __unparsed: text.slice(0, 200) };
    }
  }

  async function request(method: string, path: string, body?: unknown): Promise<ScimResponse> {
    // The URL the token provider checks is the one fetched: a token leaves only for its origin (S-5).
    const url = new URL(`${base}${path}`);
    let refreshed = false;
    let throttles = 0;
    for (let attempt = 0; ; attempt++) {
      let res: Answer;
      try {
        // Every attempt is a request the vendor counts against its operation's limit.
        await channel.operations.take(operationOf(method, path));
        res = await channel.pacer.run(async (permit) => {
          // Asked for once the app-wide pause is over: a token read before it could expire.
          const token = await options.tokens.accessToken(url);
          const answer = await once(method, url, body, token);
          // E-18: the app's answer paces every request to it, not just this one.
          if (throttling(answer)) {
            const fallback = Math.min(maxBackoffMs, backoffMs * 2 ** throttles);
            channel.pacer.throttled(permit, comeBackInMs(answer), fallback);
          } else if (answer.status < 500) channel.pacer.succeeded();
          return answer;
        });
      } catch (err) {
        if (err instanceof ScimError) throw err;
        const timedOut = err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError;
        const reason = timedOut ? 'The app did not answer in time.' : `The app cannot be reached: ${(err as Error).cause ?? (err as Error).message}`;
        if (attempt < maxRetries) {
          await sleep(jitter(backoffMs, maxBackoffMs, attempt));
          continue;
        }
        throw new ScimError('transient', reason);
      }
      const parsed = parseBody(res.text);
      if (res.status >= 200 && res.status < 300) {
        if (parsed && typeof parsed === 'object' && '__unparsed' in parsed) {
          throw new ScimError('bad_response', 'The app answered with something that is not JSON: is this a SCIM endpoint?', res.status);
        }
        return { status: res.status, body: parsed, etag: headerOf(res.headers, 'etag') };
      }
      if (res.status >= 300 && res.status < 400) {
        throw new ScimError('bad_response', `The app redirected the request (HTTP ${res.status}): check the endpoint URL.`, res.status);
      }
      const { reason, scimType } = reasonFrom(parsed, res.status);
      // A 403 that says when to come back is "too many" (GitHub), not a refused token (E-9).
      const kind = throttling(res) ? 'transient' : kindOfStatus(res.status, scimType);
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        await options.tokens.refresh(url);
        continue;
      }
      if (throttling(res) && throttles < maxThrottledRetries) {
        // The pacer holds this retry, with every other request to the app, until the pause ends.
        throttles++;
        attempt--;
        continue;
      }
      if (kind === 'transient' && attempt < maxRetries) {
        const hinted = comeBackInMs(res);
        await sleep(hinted != null ? Math.min(hinted, maxBackoffMs) : jitter(backoffMs, maxBackoffMs, attempt));
        continue;
      }
      throw new ScimError(kind, reason, res.status, scimType);
    }
  }

  /** Closes the connections, if this client made its own channel; a shared one is its owner's. */
  async function close(): Promise<void> {
    if (owned) await channel.close();
  }

  return { request, close, baseUrl: base };
}

/**
 * "Too many": 429; 503 with a Retry-After (the app says when to come back); 403 with a
 * Retry-After or `x-ratelimit-remaining: 0`, as GitHub answers past a primary or secondary rate
 * limit (docs.github.com, "Rate limits for the REST API": 403 or 429, then wait Retry-After, or
 * until `x-ratelimit-reset`). A bare 403 stays a refusal (E-9).
 */
function throttling(answer: Answer): boolean {
  if (answer.status === 429) return true;
  if (answer.status === 503) return headerOf(answer.headers, 'retry-after') !== null;
  if (answer.status === 403) return headerOf(answer.headers, 'retry-after') !== null || headerOf(answer.headers, 'x-ratelimit-remaining') === '0';
  return false;
}

/** How long a "too many" answer asks to wait: Retry-After, else until `x-ratelimit-reset` (epoch seconds) when none is left. */
function comeBackInMs(answer: Answer): number | null {
  const retryAfter = retryAfterMs(headerOf(answer.headers, 'retry-after'));
  if (retryAfter !== null) return retryAfter;
  const reset = Number(headerOf(answer.headers, 'x-ratelimit-reset'));
  if (headerOf(answer.headers, 'x-ratelimit-remaining') !== '0' || !Number.isFinite(reset) || reset <= 0) return null;
  return Math.max(0, reset * 1000 - Date.now());
}

interface Answer {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  text: string;
}


function jitter(base: number, cap: number, attempt: number): number {
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

export type Transport = ReturnType<typeof createTransport>;
