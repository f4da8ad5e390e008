import { AppError } from '@autoprov/contract';

/** Keyset paging (not OFFSET): the cursor is the last row's sort key, opaque to the client. */
export function encodeCursor(at: number, id: number | string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor<T extends number | string>(cursor: string | undefined, idKind: 'number' | 'string'): { at: number; id: T } | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if (typeof at === 'number' && typeof id === idKind) return { at, id: id as T };
  } catch {
    // falls through to the refusal
  }
  throw new AppError('validation_failed', 'This page link is no longer valid: go back to the first page.', { cursor: 'Invalid cursor' });
}
