import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '@autoprov/contract';
import type { AppEnv } from '../types.js';
import { errorBody } from './errors.js';

/**
 * S-6, the edge every request crosses before any route: the Host it was sent to, the size of
 * its body (refused before it is read), and the media type of a write.
 */

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every body is small: the forms send tens of fields at most. */
export const defaultBodyLimit = 64 * 1024;
/** A Google service account key (at most 20,000 characters, JSON-escaped once more). */
export const keyUploadBodyLimit = 256 * 1024;
const largerBodies = new Map([
  ['/api/directory/google/check', keyUploadBodyLimit],
  ['/api/directory/google/preview', keyUploadBodyLimit],
  ['/api/directory/google/connect', keyUploadBodyLimit],
]);

/**
 * DNS rebinding: a page at an attacker's name that resolves to this machine sends its own
 * Host. Only autoprov's public address is answered (the health check excepted, for probes);
 * a browser that typed another name for it is sent to the public address.
 */
export function expectedHost(publicUrl: string): MiddlewareHandler<AppEnv> {
  const host = new URL(publicUrl).host;
  return async (c, next) => {
    if (new URL(c.req.url).host === host || c.req.path === '/api/health') return next();
    if (c.req.method === 'GET' && !c.req.path.startsWith('/api/')) return c.redirect(`${publicUrl}${c.req.path}`, 302);
    throw new AppError('wrong_host', `autoprov answers only at ${publicUrl}. Open that address (or set AUTOPROV_PUBLIC_URL to the one you use).`);
  };
}

/** 413 as soon as the declared (or streamed) size passes the route's limit: nothing more is read. */
export function bodyLimits(): MiddlewareHandler<AppEnv> {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => c.json(errorBody(new AppError('payload_too_large', `The request is too large: at most ${Math.round(maxSize / 1024)} KB.`)), 413),
    });
  const byLimit = new Map([defaultBodyLimit, ...largerBodies.values()].map((size) => [size, limiter(size)]));
  return (c, next) => byLimit.get(largerBodies.get(c.req.path) ?? defaultBodyLimit)!(c, next);
}

/**
 * Writes take JSON only (415 otherwise): a cross-site form or `text/plain` post cannot send
 * it without a CORS preflight, which autoprov never answers. A write without a body may omit it.
 */
export function jsonWritesOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const type = c.req.header('content-type');
    // HTTP/1.1: a request has a body when it declares a length or a transfer coding.
    const hasBody = Number(c.req.header('content-length') ?? '0') > 0 || c.req.header('transfer-encoding') !== undefined;
    if (!type && !hasBody) return next();
    if (type?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
      throw new AppError('unsupported_media_type', 'Send the request as JSON (Content-Type: application/json).');
    }
    return next();
  };
}
