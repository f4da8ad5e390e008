import { z } from 'zod';

/** The closed set of error codes the API answers with; the console switches on these. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  /** The password was right; the authenticator's code (or a recovery code) is needed too. */
  'second_factor_required',
  /** Two-factor sign-in is required and this admin has not set it up yet. */
  'second_factor_setup_required',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'rate_limited',
  'setup_closed',
  'payload_too_large',
  'unsupported_media_type',
  'wrong_host',
  /** This process cannot do it (AUTOPROV_ROLE=web does not start runs). */
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** Field path (dot-separated, as react-hook-form names it) → message. */
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * The one error the server and the packages throw on purpose. The server turns it into an
 * `ErrorBody` with the status that belongs to its code; anything else is a 500.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const httpStatusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  second_factor_required: 401,
  second_factor_setup_required: 403,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  setup_closed: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // 421 Misdirected Request: the Host is not autoprov's public address (DNS rebinding).
  wrong_host: 421,
  unavailable: 503,
  internal: 500,
};
