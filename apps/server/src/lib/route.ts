import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { AppError, idSchema, pathParamNames, type ApiRoute, type RouteParams } from '@autoprov/contract';
import type { AppEnv } from '../types.js';
import { validationError } from './errors.js';

/** What a handler gets: the path parameters, and the query and body parsed by the route's schemas. */
export interface RouteInput<R extends ApiRoute> {
  params: RouteParams<R>;
  query: R extends { query: infer Q extends z.ZodType } ? z.output<Q> : undefined;
  body: R extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;
}

/** A handler answers the route's JSON (sent with its status), nothing (204), or its own Response (CSV, redirect). */
export type RouteAnswer<R extends ApiRoute> = R extends { response: infer S extends z.ZodType }
  ? z.input<S>
  : R extends { response: null }
    ? void
    : Response;

export type RouteHandler<R extends ApiRoute> = (c: Context<AppEnv>, input: RouteInput<R>) => RouteAnswer<R> | Promise<RouteAnswer<R>>;

function parsed<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  // A write without a body stands for `{}`: schemas with defaults (a sync's `dryRun`) fill it in.
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'The request body is not JSON.');
  }
}

/**
 * Registers handlers for the contract's route table on a router mounted at `base` (`/api/apps`):
 * the method and path come from the table entry, the path parameters, query and body are
 * validated with its schemas, and the answer is typed by its response schema.
 */
export function routesOn(router: Hono<AppEnv>, base: `/api${string}`) {
  return function handle<R extends ApiRoute>(route: R, handler: RouteHandler<R>): void {
    if (!route.path.startsWith(base)) throw new Error(`${route.path} is not under ${base}`);
    const params = z.object(Object.fromEntries(pathParamNames(route.path).map((name) => [name, idSchema])));
    router.on(route.method, route.path.slice(base.length) || '/', async (c) => {
      const input = {
        params: parsed(params, c.req.param()),
        query: route.query ? parsed(route.query, c.req.query()) : undefined,
        body: route.body ? parsed(route.body, await jsonBody(c)) : undefined,
      } as RouteInput<R>;
      const answer: unknown = await handler(c, input);
      if (answer instanceof Response) return answer;
      if (route.response === null) return c.body(null, 204);
      return c.json(answer, route.status ?? 200);
    });
  };
}
