import { kindOfStatus, reasonFrom, ScimError } from './errors.js';
import { RequestLimiter } from './limiter.js';
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
  concurrency?: number;
  requestsPerSecond?: number;
  /** Largest body accepted, so a runaway page cannot exhaust memory. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
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
  const base = checkBaseUrl(options.baseUrl).toString().replace(/\/+$/, '');
  const limiter = new RequestLimiter(options.concurrency ?? 8, options.requestsPerSecond ?? 50);
  const doFetch = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 4;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;

  async function once(method: string, url: URL, body: unknown, token: string): Promise<{ res: Response; text: string }> {
    // A timer cleared on answer: AbortSignal.timeout() would keep every signal alive for the
    // whole timeout, tens of thousands of them during a large run.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The app did not answer in time.', 'TimeoutError')), options.timeoutMs ?? 30_000);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/scim+json, application/json',
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
    };
    const sent = body === undefined ? undefined : JSON.stringify(body);
    const started = Date.now();
    let status: number | null = null;
    try {
      const res = await doFetch(url, { method, headers, body: sent, signal: controller.signal, redirect: 'manual' });
      status = res.status;
      const text = await readText(res);
      options.onExchange?.({ method, url: url.toString(), requestHeaders: headers, requestBody: sent ?? null, status, responseBody: text, durationMs: Date.now() - started, error: null });
      return { res, text };
    } catch (err) {
      const error = (err as Error).message;
      options.onExchange?.({ method, url: url.toString(), requestHeaders: headers, requestBody: sent ?? null, status, responseBody: null, durationMs: Date.now() - started, error });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async function readText(res: Response): Promise<string> {
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > maxBodyBytes) {
      await res.body?.cancel();
      throw new ScimError('bad_response', `The app sent ${length} bytes in one answer; the limit is ${maxBodyBytes}.`, res.status);
    }
    const text = await res.text();
    if (text.length > maxBodyBytes) throw new ScimError('bad_response', `The app sent more than ${maxBodyBytes} bytes in one answer.`, res.status);
    return text;
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
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        const token = await options.tokens.accessToken(url);
        ({ res, text } = await limiter.run(() => once(method, url, body, token)));
      } catch (err) {
        if (err instanceof ScimError) throw err;
        const timedOut = (err as Error).name === 'TimeoutError';
        const reason = timedOut ? 'The app did not answer in time.' : `The app cannot be reached: ${(err as Error).cause ?? (err as Error).message}`;
        if (attempt < maxRetries) {
          await sleep(jitter(backoffMs, maxBackoffMs, attempt));
          continue;
        }
        throw new ScimError('transient', reason);
      }
      const parsed = parseBody(text);
      if (res.status >= 200 && res.status < 300) {
        if (parsed && typeof parsed === 'object' && '__unparsed' in parsed) {
          throw new ScimError('bad_response', 'The app answered with something that is not JSON: is this a SCIM endpoint?', res.status);
        }
        return { status: res.status, body: parsed, etag: res.headers.get('etag') };
      }
      if (res.status >= 300 && res.status < 400) {
        throw new ScimError('bad_response', `The app redirected the request (HTTP ${res.status}): check the endpoint URL.`, res.status);
      }
      const { reason, scimType } = reasonFrom(parsed, res.status);
      const kind = kindOfStatus(res.status, scimType);
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        await options.tokens.refresh(url);
        continue;
      }
      if (kind === 'transient' && attempt < maxRetries) {
        const hinted = retryAfterMs(res.headers.get('retry-after'));
        await sleep(hinted != null ? Math.min(hinted, maxBackoffMs) : jitter(backoffMs, maxBackoffMs, attempt));
        continue;
      }
      throw new ScimError(kind, reason, res.status, scimType);
    }
  }

  return { request, baseUrl: base };
}

function jitter(base: number, cap: number, attempt: number): number {
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

export type Transport = ReturnType<typeof createTransport>;
