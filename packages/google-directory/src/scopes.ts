const base = 'https://www.googleapis.com/auth/';

/** The read-only scopes domain-wide delegation must grant (issue 6 item 1). */
export const googleScopes = {
  users: `${base}admin.directory.user.readonly`,
  groups: `${base}admin.directory.group.readonly`,
  members: `${base}admin.directory.group.member.readonly`,
  orgUnits: `${base}admin.directory.orgunit.readonly`,
  domains: `${base}admin.directory.domain.readonly`,
  /** The admin audit log: how changes are found without reading everything again. */
  audit: `${base}admin.reports.audit.readonly`,
} as const;

export const allGoogleScopes: string[] = Object.values(googleScopes);
