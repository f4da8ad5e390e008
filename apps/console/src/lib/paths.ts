import type { WizardStep } from '@autoprov/contract';

/**
 * Every page of the console, in one place: the router declares its routes with these builders
 * (called with `:param` placeholders) and every Link and navigate builds its target with them.
 */
export const paths = {
  setup: '/setup',
  signIn: '/sign-in',
  /** The sign-in page, coming back to `next` afterwards. */
  signInThen: (next: string) => `/sign-in?next=${encodeURIComponent(next)}`,
  resetPassword: '/reset-password',

  apps: '/apps',
  app: (key: string, query: { finished?: boolean } = {}) => `/apps/${key}${query.finished ? '?finished=1' : ''}`,
  appSso: (key: string, query: { fromWizard?: boolean } = {}) => `/apps/${key}/sso${query.fromWizard ? '?from=wizard' : ''}`,
  setupStep: (key: string, step: WizardStep | ':step') => `/apps/${key}/setup/${step}`,
  editScope: (key: string) => `/apps/${key}/scope`,
  editDeprovisioning: (key: string) => `/apps/${key}/deprovisioning`,
  runReport: (key: string, runId: string) => `/apps/${key}/runs/${runId}`,
  onDemand: (key: string, query: { userId?: string } = {}) =>
    `/apps/${key}/on-demand${query.userId ? `?userId=${encodeURIComponent(query.userId)}` : ''}`,

  directory: '/directory',
  users: (query: { orgUnit?: string } = {}) => `/directory/users${query.orgUnit ? `?orgUnit=${query.orgUnit}` : ''}`,
  newUser: '/directory/users/new',
  user: (id: string) => `/directory/users/${id}`,
  groups: '/directory/groups',
  group: (id: string) => `/directory/groups/${id}`,
  orgUnits: '/directory/org-units',
  changes: '/directory/changes',
  directorySource: '/directory/source',

  reports: '/reports',
  deletedConfigurations: '/reports/deleted-configurations',
  deletedConfiguration: (id: string) => `/reports/deleted-configurations/${id}`,
  deletedConfigurationReport: (id: string, runId: string) => `/reports/deleted-configurations/${id}/runs/${runId}`,

  alerts: '/alerts',
  admins: '/admins',
  /** The admin's own account page (linked from the top bar and the sign-in gate). */
  accountSecurity: '/account/security',
} as const;
