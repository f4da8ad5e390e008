import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from './api-client';

/**
 * Puts the server's per-field messages next to their fields; returns the message to show
 * above the form when no field took it.
 */
export function applyServerErrors<T extends FieldValues>(err: unknown, fieldNames: readonly string[], setError: UseFormSetError<T>): string | null {
  if (!(err instanceof ApiError)) return 'Something went wrong. Try again.';
  let placed = false;
  for (const [field, message] of Object.entries(err.fields)) {
    if (fieldNames.includes(field)) {
      setError(field as Path<T>, { type: 'server', message }, { shouldFocus: !placed });
      placed = true;
    }
  }
  return placed ? null : err.message;
}
