import { ACTIVITY_HEADER, CSRF_HEADER, errorBodySchema, type ErrorCode } from '@autoprov/contract';
import type { z } from 'zod';

/** A refusal from the API, or a network failure (code `internal`, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** Set from the session query; sent with every state-changing request. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * The idle timeout counts the admin's own actions (S-3): a read made within a few seconds of a
 * click, a key press, a page load or history navigation says so; polling that runs by itself
 * later does not, so an unattended console still times out. Writes always count on the server.
 */
const activityWindowMs = 5_000;
let lastInteraction = Date.now();
if (typeof window !== 'undefined') {
  const touched = () => {
    lastInteraction = Date.now();
  };
  for (const event of ['pointerdown', 'keydown', 'popstate']) window.addEventListener(event, touched, { capture: true, passive: true });
}

async function request<T extends z.ZodType>(method: Method, path: string, schema: T | null, body?: unknown): Promise<z.infer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  if (method === 'GET' && Date.now() - lastInteraction < activityWindowMs) headers[ACTIVITY_HEADER] = '1';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'internal', 'autoprov cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) {
      const { code, message, fields } = parsed.data.error;
      throw new ApiError(res.status, code, message, fields);
    }
    throw new ApiError(res.status, 'internal', `The server answered ${res.status}. Try again.`);
  }
  if (!schema) return undefined as z.infer<T>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, 'internal', 'The server sent an answer the console does not understand.');
  return parsed.data;
}

export const api = {
  get: <T extends z.ZodType>(path: string, schema: T) => request('GET', path, schema),
  post: <T extends z.ZodType>(path: string, schema: T | null, body: unknown = {}) => request('POST', path, schema, body),
  patch: <T extends z.ZodType>(path: string, schema: T, body: unknown) => request('PATCH', path, schema, body),
  put: <T extends z.ZodType>(path: string, schema: T, body: unknown) => request('PUT', path, schema, body),
  delete: <T extends z.ZodType>(path: string, schema: T | null = null) => request('DELETE', path, schema),
};

/** `?a=1&b=` → only the set values. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
