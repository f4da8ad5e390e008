import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { AppError, httpStatusByCode, type ErrorBody } from '@autoprov/contract';
import type { AppEnv } from '../types.js';

export function validationError(error: { issues: readonly z.core.$ZodIssue[] }): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return new AppError('validation_failed', 'Some fields need attention.', fields);
}

export function errorBody(err: AppError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof AppError) {
    return c.json(errorBody(err), httpStatusByCode[err.code] as ContentfulStatusCode);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own refusals, such as a body that is not JSON.
    const code = err.status === 401 ? 'unauthenticated' : err.status === 403 ? 'forbidden' : 'validation_failed';
    return c.json(errorBody(new AppError(code, err.message || 'The request is malformed.')), err.status as ContentfulStatusCode);
  }
  c.var.logger.error({ err }, 'unhandled error');
  return c.json(errorBody(new AppError('internal', 'Something went wrong on the server. It has been logged.')), 500);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody(new AppError('not_found', `No such API route: ${c.req.method} ${c.req.path}`)), 404);
