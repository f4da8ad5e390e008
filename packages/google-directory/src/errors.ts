/** What went wrong talking to Google, in the words the console shows (issue 6 item 1). */
export type GoogleProblem =
  | 'bad_key'
  | 'service_account_gone'
  | 'unknown_admin'
  | 'delegation_missing'
  | 'scope_missing'
  | 'not_super_admin'
  | 'no_reports_access'
  | 'clock_skew'
  | 'quota'
  | 'unavailable'
  | 'unreachable'
  | 'not_found'
  | 'other';

/** The connect form field an admin must change to fix a problem; none when it is not in the form. */
export const googleProblemField: Partial<Record<GoogleProblem, 'serviceAccountKey' | 'adminEmail'>> = {
  bad_key: 'serviceAccountKey',
  service_account_gone: 'serviceAccountKey',
  delegation_missing: 'serviceAccountKey',
  scope_missing: 'serviceAccountKey',
  unknown_admin: 'adminEmail',
  not_super_admin: 'adminEmail',
  no_reports_access: 'adminEmail',
};

export class GoogleDirectoryError extends Error {
  constructor(
    readonly problem: GoogleProblem,
    message: string,
  ) {
    super(message);
    this.name = 'GoogleDirectoryError';
  }
}

interface GaxiosLike {
  message?: string;
  code?: string | number;
  status?: number;
  response?: { status?: number; data?: unknown };
}

/** The reason Google gave: `errors[0].reason` of an API error, `error` of a token error. */
function reasonOf(err: GaxiosLike): { status: number | null; reason: string; message: string } {
  const status = err.response?.status ?? (typeof err.status === 'number' ? err.status : null);
  const data = err.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  if (data && typeof data.error === 'object' && data.error) {
    const e = data.error as { message?: string; errors?: { reason?: string }[]; status?: string };
    return { status, reason: e.errors?.[0]?.reason ?? e.status ?? '', message: e.message ?? '' };
  }
  if (data && typeof data.error === 'string') return { status, reason: data.error, message: String(data.error_description ?? '') };
  // gtoken reports a token refusal as "error: description" in the message.
  const m = /^(invalid_grant|unauthorized_client|invalid_client|invalid_request|disabled_client|deleted_client|access_denied)(?::\s*(.*))?$/s.exec(err.message ?? '');
  if (m) return { status, reason: m[1]!, message: m[2] ?? '' };
  return { status, reason: String(err.code ?? ''), message: err.message ?? 'Unknown error' };
}

export const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'RESOURCE_EXHAUSTED', 'backendError']);

/** Whether waiting and asking again can help (403 rate limits, 429, 5xx, network). */
export function isRetryable(err: unknown): boolean {
  const { status, reason } = reasonOf(err as GaxiosLike);
  if (status === 429 || (status !== null && status >= 500)) return true;
  if (status === 403 && rateLimitReasons.has(reason)) return true;
  const code = String((err as GaxiosLike).code ?? '');
  return ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND'].includes(code) && status === null;
}

export function describeGoogleError(err: unknown, context: { adminEmail: string; clientId: string }): GoogleDirectoryError {
  if (err instanceof GoogleDirectoryError) return err;
  const { status, reason, message } = reasonOf(err as GaxiosLike);
  const delegationHelp = `In the Google Admin console, open Security → Access and data control → API controls → Domain-wide delegation, and add client ID ${context.clientId} with the read-only scopes autoprov lists.`;
  // Token refusals (OAuth 2.0 token endpoint), the most specific first.
  if (reason === 'invalid_grant' && /short-lived|reasonable timeframe|iat|exp/i.test(message)) {
    return new GoogleDirectoryError(
      'clock_skew',
      `Google refused the sign-in because the clock of the server running autoprov is off (${message}). Set the server's clock right (NTP), then try again; the key and e-mail are fine.`,
    );
  }
  if ((reason === 'invalid_grant' && /account not found|robot is disabled|disabled/i.test(message)) || reason === 'disabled_client' || reason === 'deleted_client') {
    return new GoogleDirectoryError(
      'service_account_gone',
      `Google no longer accepts the service account (client ID ${context.clientId}): it was deleted or disabled in Google Cloud (${message}). Enable it again in IAM & Admin → Service accounts, or create a new one with domain-wide delegation and upload its key.`,
    );
  }
  if ((reason === 'invalid_grant' && /account has been deleted/i.test(message)) || (reason === 'invalid_request' && /sub/i.test(message))) {
    return new GoogleDirectoryError('unknown_admin', `${context.adminEmail} was deleted from Google Workspace, so autoprov cannot act as it. Give the e-mail of another super-admin.`);
  }
  if (reason === 'invalid_grant' && /signature|JWT/i.test(message)) {
    return new GoogleDirectoryError('bad_key', `Google refused the service account key (${message}). The key may have been deleted or rotated: create a new key and upload it.`);
  }
  if (reason === 'invalid_grant' && /email|user id/i.test(message)) {
    return new GoogleDirectoryError('unknown_admin', `Google does not know ${context.adminEmail} as a user of this organisation. Give the e-mail of one of its super-admins.`);
  }
  if (reason === 'invalid_client') return new GoogleDirectoryError('bad_key', `Google does not know this service account (${message}). Upload the key of an existing service account.`);
  if (reason === 'unauthorized_client') {
    return new GoogleDirectoryError('delegation_missing', `Domain-wide delegation is not granted to this service account for the scopes autoprov needs. ${delegationHelp}`);
  }
  if (status === 403 && (reason === 'insufficientPermissions' || reason === 'PERMISSION_DENIED')) {
    return new GoogleDirectoryError('scope_missing', `A scope is missing from the domain-wide delegation. ${delegationHelp}`);
  }
  // The Reports API answers an admin without the Reports privilege 401 authError, not 403.
  if (status === 401 && reason === 'authError' && !/invalid credentials|invalid authentication credentials/i.test(message)) {
    return new GoogleDirectoryError(
      'no_reports_access',
      `${context.adminEmail} may not read the audit log (Reports), which autoprov follows for changes (${message}). Give the e-mail of a super-admin, or give this admin's role the Reports privilege.`,
    );
  }
  if (status === 403 && reason === 'forbidden') {
    return new GoogleDirectoryError('not_super_admin', `${context.adminEmail} is not a super-admin of the organisation, so Google refuses to show it the directory. Give the e-mail of a super-admin.`);
  }
  // The Reports API says "over quota" with 503.
  if (status === 429 || status === 503 || (status === 403 && rateLimitReasons.has(reason))) {
    return new GoogleDirectoryError('quota', `Google's quota for the Admin SDK is used up for now (${message}). autoprov tries again later on its own.`);
  }
  if (status !== null && status >= 500) return new GoogleDirectoryError('unavailable', `Google is unavailable for now (HTTP ${status}: ${message}). autoprov tries again later on its own.`);
  if (status === 404) return new GoogleDirectoryError('not_found', `Google answered "not found": ${message}`);
  if (status === null) return new GoogleDirectoryError('unreachable', `autoprov cannot reach Google: ${message}`);
  return new GoogleDirectoryError('other', `Google answered HTTP ${status}: ${message}`);
}
