/** What a failed SCIM call is; the caller decides from the kind alone (RFC 7644 §3.12). */
export type ScimFailureKind =
  | 'transient' // network, timeout, 429, 5xx: worth retrying later
  | 'not_found' // 404: relink or recreate
  | 'conflict' // 409 / uniqueness: search and adopt
  | 'bad_request' // 4xx the app explained: recorded, the run goes on
  | 'unauthorized' // 401/403 that a token refresh did not cure (E-9)
  | 'bad_response'; // an answer that is not SCIM at all

export class ScimError extends Error {
  constructor(
    readonly kind: ScimFailureKind,
    /** The reason in the app's own words when it gave one (`detail`), else ours. */
    readonly reason: string,
    readonly status: number | null = null,
    readonly scimType: string | null = null,
  ) {
    super(reason);
    this.name = 'ScimError';
  }
}

/** RFC 7644 §3.12 error body, tolerated loosely: apps differ. */
export function reasonFrom(body: unknown, status: number): { reason: string; scimType: string | null } {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const detail = b.detail ?? b.message ?? b.error_description ?? b.error;
    if (typeof detail === 'string' && detail.trim()) {
      return { reason: detail.trim().slice(0, 1000), scimType: typeof b.scimType === 'string' ? b.scimType : null };
    }
  }
  return { reason: `The app answered HTTP ${status}.`, scimType: null };
}

export function kindOfStatus(status: number, scimType: string | null): ScimFailureKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409 || scimType === 'uniqueness') return 'conflict';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  return 'bad_request';
}
