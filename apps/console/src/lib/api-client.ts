import {
  ACTIVITY_HEADER,
  CSRF_HEADER,
  errorBodySchema,
  type ApiRoute,
  type ErrorCode,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '@autoprov/contract';
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

/** A route of the contract's table that answers JSON (or nothing): what `api` calls. */
export type JsonRoute = ApiRoute & { response: z.ZodType | null };

type ParamsPart<R extends ApiRoute> = [keyof RouteParams<R>] extends [never] ? { params?: never } : { params: RouteParams<R> };
type QueryPart<R extends ApiRoute> = [RouteQuery<R>] extends [never]
  ? { query?: never }
  : Record<string, never> extends RouteQuery<R>
    ? { query?: RouteQuery<R> }
    : { query: RouteQuery<R> };
type BodyPart<R extends ApiRoute> = [RouteBody<R>] extends [never] ? { body?: never } : { body: RouteBody<R> };
/** The path parameters, query and body the route's schemas ask for: a wrong one is a type error. */
export type CallOptions<R extends ApiRoute> = ParamsPart<R> & QueryPart<R> & BodyPart<R>;
type CallArgs<R extends ApiRoute> = Record<string, never> extends CallOptions<R> ? [options?: CallOptions<R>] : [options: CallOptions<R>];

/** The route's path with its `:params` filled in, and its query. */
function urlOf(route: ApiRoute, options: { params?: Record<string, string>; query?: unknown }): string {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  return path + queryString((options.query ?? {}) as Record<string, string | number | undefined | null>);
}

/**
 * Calls a route of the contract's table (`api(routes.app, { params: { key } })`) and parses the
 * answer with the route's response schema; a refusal becomes an `ApiError`.
 */
export async function api<R extends JsonRoute>(route: R, ...[options = {} as CallOptions<R>]: CallArgs<R>): Promise<RouteResponse<R>> {
  const { body } = options as { body?: unknown };
  const { method } = route;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  if (method === 'GET' && Date.now() - lastInteraction < activityWindowMs) headers[ACTIVITY_HEADER] = '1';
  let res: Response;
  try {
    res = await fetch(urlOf(route, options), {
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
  if (!route.response) return undefined as RouteResponse<R>;
  const parsed = route.response.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, 'internal', 'The server sent an answer the console does not understand.');
  return parsed.data as RouteResponse<R>;
}

/** The address of a route the browser opens itself (a CSV download). */
export function apiHref<R extends ApiRoute & { response: 'csv' }>(route: R, ...[options = {} as CallOptions<R>]: CallArgs<R>): string {
  return urlOf(route, options);
}

/** `?a=1&b=` → only the set values. */
function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
