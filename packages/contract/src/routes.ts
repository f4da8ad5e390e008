import { z } from 'zod';
import { adminListSchema, adminSchema, createAdminInputSchema } from './admins.js';
import { alertSettingsInputSchema, alertSettingsSchema, notificationSchema, testDeliveryResultSchema } from './alerts.js';
import {
  activationInputSchema,
  appDetailSchema,
  appListSchema,
  availabilityInputSchema,
  bearerTokenInputSchema,
  deletionImpactSchema,
  deprovisioningInputSchema,
  driftImpactSchema,
  driftModeInputSchema,
  endpointCheckSchema,
  endpointInputSchema,
  impactSchema,
  mappingInputSchema,
  mappingPreviewInputSchema,
  mappingPreviewSchema,
  probeResultSchema,
  requestLimitsSchema,
  scopeInputSchema,
  ssoSettingsInputSchema,
  startAuthorizationInputSchema,
  startAuthorizationResultSchema,
  syncNowInputSchema,
  syncRunSchema,
  syncRunStartedSchema,
  wizardStepInputSchema,
} from './apps.js';
import {
  changePasswordInputSchema,
  confirmTwoFactorInputSchema,
  createResetLinkInputSchema,
  disableTwoFactorInputSchema,
  passwordResetInputSchema,
  passwordResetStatusSchema,
  recoveryCodesSchema,
  resetLinkSchema,
  securitySettingsSchema,
  sessionSchema,
  setupInputSchema,
  setupStatusSchema,
  signInInputSchema,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
} from './auth.js';
import { pageQuerySchema } from './common.js';
import {
  addGroupMemberSchema,
  directoryChangePageSchema,
  directorySourceSchema,
  directoryUserDetailSchema,
  googleConnectInputSchema,
  googleConnectionCheckSchema,
  googleSwitchPreviewSchema,
  groupDetailSchema,
  groupInputSchema,
  groupListQuerySchema,
  groupPageSchema,
  organisationSchema,
  orgUnitListSchema,
  userInputSchema,
  userListQuerySchema,
  userPageSchema,
  userUpdateSchema,
} from './directory.js';
import { onDemandInputSchema, onDemandPlanSchema, onDemandRunSchema, onDemandStartedSchema } from './on-demand.js';
import {
  deletedConfigurationListSchema,
  pageSizeSchema,
  reportFilterSchema,
  reportPageSchema,
  reportQuerySchema,
  syncRunPageSchema,
  usageLogFilterSchema,
  usageLogPageSchema,
  usageLogQuerySchema,
  usageLogSummarySchema,
} from './reports.js';

/*
 * The HTTP API, one entry per operation: the server registers its handlers against these
 * entries, the console calls through them, and /api/openapi.json is generated from them. A
 * path, method or body changed here fails to compile wherever it is used.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call (S-1): anyone (used before there is a session), any signed-in admin, or a
 * super-admin. Enforced by the server's middleware (fail-closed); stated here for the reader.
 */
export type RouteAuth = 'public' | 'admin' | 'super_admin';

export interface ApiRoute {
  method: HttpMethod;
  /** The full path, with Hono-style `:param` segments (each an id of 1 to 64 characters). */
  path: `/api/${string}`;
  summary: string;
  auth: RouteAuth;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * The answer: a JSON body parsed with this schema, `null` for none (204), a streamed CSV
   * file, or a browser redirect.
   */
  response: z.ZodType | null | 'csv' | 'redirect';
  /** The success status when it is not 200 (a JSON answer) or 204 (no body). */
  status?: 201 | 202;
}

const route = <const R extends ApiRoute>(r: R): R => r;

/** `/api/apps/:key/runs/:runId` → `'key' | 'runId'`. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
export type RouteParams<R extends ApiRoute> = { [K in ParamNames<R['path']>]: string };
export type RouteQuery<R extends ApiRoute> = R extends { query: infer Q extends z.ZodType } ? z.input<Q> : never;
export type RouteBody<R extends ApiRoute> = R extends { body: infer B extends z.ZodType } ? z.input<B> : never;
/** What the console gets once the answer is parsed. */
export type RouteResponse<R extends ApiRoute> = R extends { response: infer S extends z.ZodType } ? z.output<S> : undefined;

/** A path segment `:name`, as the server registers it and the console fills it. */
export const pathParamNames = (path: string): string[] => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

export const runPageQuerySchema = z.object({ cursor: z.string().max(100).optional(), pageSize: pageSizeSchema });
export const passwordResetQuerySchema = z.object({ token: z.string().min(1).max(100) });
export const notificationListSchema = z.object({ items: z.array(notificationSchema) });
export const healthSchema = z.object({ status: z.literal('ok') });
/** W-2: the app's authorization page sends the admin back with these (OAuth 2.0, RFC 6749 §4.1.2). */
export const oauthCallbackQuerySchema = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

export const routes = {
  health: route({ method: 'GET', path: '/api/health', summary: 'Whether autoprov answers', auth: 'public', response: healthSchema }),
  openApi: route({
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document, generated from the same route table',
    auth: 'admin',
    response: z.record(z.string(), z.unknown()),
  }),

  // ---- first run, sign-in, reset links ----
  setupStatus: route({ method: 'GET', path: '/api/setup', summary: 'Whether the first super-admin is still to be created', auth: 'public', response: setupStatusSchema }),
  setup: route({
    method: 'POST',
    path: '/api/setup',
    summary: 'Creates the first super-admin with the setup token printed at start, and signs them in (409 setup_closed once an admin exists)',
    auth: 'public',
    body: setupInputSchema,
    response: sessionSchema,
    status: 201,
  }),
  session: route({ method: 'GET', path: '/api/session', summary: 'The current session (401 unauthenticated without one)', auth: 'public', response: sessionSchema }),
  signIn: route({
    method: 'POST',
    path: '/api/session',
    summary: 'Signs in; 401 second_factor_required asks to send again with `code`; 429 rate_limited with Retry-After',
    auth: 'public',
    body: signInInputSchema,
    response: sessionSchema,
  }),
  signOut: route({ method: 'DELETE', path: '/api/session', summary: 'Signs out', auth: 'admin', response: null }),
  passwordResetStatus: route({
    method: 'GET',
    path: '/api/password-reset',
    summary: 'Whom a one-time reset link is for (404 for a used, replaced or expired link)',
    auth: 'public',
    query: passwordResetQuerySchema,
    response: passwordResetStatusSchema,
  }),
  resetPassword: route({
    method: 'POST',
    path: '/api/password-reset',
    summary: "Sets a new password with a one-time link; the link is spent and the admin's sessions end",
    auth: 'public',
    body: passwordResetInputSchema,
    response: null,
  }),

  // ---- the signed-in admin's own account ----
  twoFactorStatus: route({ method: 'GET', path: '/api/account/two-factor', summary: 'Whether two-factor sign-in is on', auth: 'admin', response: twoFactorStatusSchema }),
  changePassword: route({
    method: 'POST',
    path: '/api/account/password',
    summary: "Changes the admin's password; their other sessions end",
    auth: 'admin',
    body: changePasswordInputSchema,
    response: null,
  }),
  beginTwoFactor: route({
    method: 'POST',
    path: '/api/account/two-factor/setup',
    summary: 'A new authenticator seed, pending until confirmed (409 when already on)',
    auth: 'admin',
    response: twoFactorSetupSchema,
  }),
  confirmTwoFactor: route({
    method: 'POST',
    path: '/api/account/two-factor/confirm',
    summary: 'Turns two-factor sign-in on; answers the recovery codes (shown once)',
    auth: 'admin',
    body: confirmTwoFactorInputSchema,
    response: recoveryCodesSchema,
  }),
  disableTwoFactor: route({
    method: 'POST',
    path: '/api/account/two-factor/disable',
    summary: 'Turns two-factor sign-in off (409 while a super-admin requires it)',
    auth: 'admin',
    body: disableTwoFactorInputSchema,
    response: null,
  }),

  // ---- admins ----
  listAdmins: route({ method: 'GET', path: '/api/admins', summary: 'The admins', auth: 'admin', response: adminListSchema }),
  createAdmin: route({
    method: 'POST',
    path: '/api/admins',
    summary: 'Adds an admin (409 conflict on fields.email when the e-mail is taken)',
    auth: 'super_admin',
    body: createAdminInputSchema,
    response: adminSchema,
    status: 201,
  }),
  createResetLink: route({
    method: 'POST',
    path: '/api/admins/:id/reset-link',
    summary: 'A one-time password reset link for another admin (24 hours; a newer one replaces it)',
    auth: 'super_admin',
    body: createResetLinkInputSchema,
    response: resetLinkSchema,
    status: 201,
  }),
  securitySettings: route({ method: 'GET', path: '/api/admins/security-settings', summary: 'Whether every admin must use two-factor sign-in', auth: 'admin', response: securitySettingsSchema }),
  saveSecuritySettings: route({
    method: 'PUT',
    path: '/api/admins/security-settings',
    summary: 'Requires two-factor sign-in or not (409 when the super-admin has none themselves)',
    auth: 'super_admin',
    body: securitySettingsSchema,
    response: securitySettingsSchema,
  }),
  deleteAdmin: route({
    method: 'DELETE',
    path: '/api/admins/:id',
    summary: 'Removes an admin (409 for yourself or the last super-admin)',
    auth: 'super_admin',
    response: null,
  }),

  // ---- the directory ----
  directorySource: route({
    method: 'GET',
    path: '/api/directory/source',
    summary: 'The directory: built-in, or Google Workspace with its last reads and error',
    auth: 'admin',
    response: directorySourceSchema,
  }),
  checkGoogle: route({
    method: 'POST',
    path: '/api/directory/google/check',
    summary: 'Tries a Google Workspace connection (400 with the problem on fields.serviceAccountKey or fields.adminEmail)',
    auth: 'super_admin',
    body: googleConnectInputSchema,
    response: googleConnectionCheckSchema,
  }),
  previewGoogle: route({
    method: 'POST',
    path: '/api/directory/google/preview',
    summary: 'What switching to Google Workspace would do: matched, new, not in Google, apps paused',
    auth: 'super_admin',
    body: googleConnectInputSchema,
    response: googleSwitchPreviewSchema,
  }),
  connectGoogle: route({
    method: 'POST',
    path: '/api/directory/google/connect',
    summary: 'Makes Google Workspace the directory: pauses every active app, then reads Google in full',
    auth: 'super_admin',
    body: googleConnectInputSchema,
    response: directorySourceSchema,
  }),
  readGoogle: route({
    method: 'POST',
    path: '/api/directory/google/read',
    summary: 'Reads Google Workspace in full now (409 when Google is not the directory)',
    auth: 'super_admin',
    response: directorySourceSchema,
  }),
  disconnectGoogle: route({
    method: 'DELETE',
    path: '/api/directory/google',
    summary: 'Back to the built-in directory, data kept',
    auth: 'super_admin',
    response: directorySourceSchema,
  }),
  organisation: route({ method: 'GET', path: '/api/directory/organisation', summary: 'The organisation', auth: 'admin', response: organisationSchema }),
  orgUnits: route({
    method: 'GET',
    path: '/api/directory/org-units',
    summary: 'The organisational units, sorted by path (a tree by parentId)',
    auth: 'admin',
    response: orgUnitListSchema,
  }),
  directoryChanges: route({
    method: 'GET',
    path: '/api/directory/changes',
    summary: 'The directory changes, newest first (who, what, when)',
    auth: 'admin',
    query: pageQuerySchema,
    response: directoryChangePageSchema,
  }),
  listUsers: route({ method: 'GET', path: '/api/directory/users', summary: 'Users, filtered and paged', auth: 'admin', query: userListQuerySchema, response: userPageSchema }),
  createUser: route({
    method: 'POST',
    path: '/api/directory/users',
    summary: "Adds a user (409 on fields.primaryEmail when taken; 400 for an address outside the organisation's domains)",
    auth: 'super_admin',
    body: userInputSchema,
    response: directoryUserDetailSchema,
    status: 201,
  }),
  user: route({ method: 'GET', path: '/api/directory/users/:id', summary: 'One user', auth: 'admin', response: directoryUserDetailSchema }),
  updateUser: route({ method: 'PATCH', path: '/api/directory/users/:id', summary: 'Changes a user', auth: 'super_admin', body: userUpdateSchema, response: directoryUserDetailSchema }),
  suspendUser: route({ method: 'POST', path: '/api/directory/users/:id/suspend', summary: 'Suspends a user', auth: 'super_admin', response: directoryUserDetailSchema }),
  restoreUser: route({
    method: 'POST',
    path: '/api/directory/users/:id/restore',
    summary: 'Makes a suspended or archived user active again',
    auth: 'super_admin',
    response: directoryUserDetailSchema,
  }),
  archiveUser: route({ method: 'POST', path: '/api/directory/users/:id/archive', summary: 'Archives a user', auth: 'super_admin', response: directoryUserDetailSchema }),
  deleteUser: route({
    method: 'DELETE',
    path: '/api/directory/users/:id',
    summary: 'Deletes a user (marked deleted and kept for deprovisioning)',
    auth: 'super_admin',
    response: null,
  }),
  listGroups: route({ method: 'GET', path: '/api/directory/groups', summary: 'Groups, filtered and paged', auth: 'admin', query: groupListQuerySchema, response: groupPageSchema }),
  createGroup: route({ method: 'POST', path: '/api/directory/groups', summary: 'Adds a group', auth: 'super_admin', body: groupInputSchema, response: groupDetailSchema, status: 201 }),
  group: route({ method: 'GET', path: '/api/directory/groups/:id', summary: 'One group with its members', auth: 'admin', response: groupDetailSchema }),
  addGroupMember: route({
    method: 'POST',
    path: '/api/directory/groups/:id/members',
    summary: 'Adds a user or a group to a group (409 if already a member or the nesting would loop)',
    auth: 'super_admin',
    body: addGroupMemberSchema,
    response: groupDetailSchema,
    status: 201,
  }),
  removeGroupMember: route({
    method: 'DELETE',
    path: '/api/directory/groups/:id/members/:memberId',
    summary: 'Removes a member from a group',
    auth: 'super_admin',
    response: groupDetailSchema,
  }),

  // ---- apps: SSO, availability, the provisioning wizard (SPEC §2) and its lifecycle ----
  listApps: route({ method: 'GET', path: '/api/apps', summary: "The catalog with each app's SSO and provisioning state", auth: 'admin', response: appListSchema }),
  app: route({
    method: 'GET',
    path: '/api/apps/:key',
    summary: 'An app: SSO, availability per org unit, its configuration at a glance (L-5), audit (L-6)',
    auth: 'admin',
    response: appDetailSchema,
  }),
  saveSso: route({ method: 'PUT', path: '/api/apps/:key/sso', summary: 'Saves the SSO settings (W-1)', auth: 'super_admin', body: ssoSettingsInputSchema, response: appDetailSchema }),
  saveAvailability: route({
    method: 'PUT',
    path: '/api/apps/:key/availability',
    summary: 'Turns the app on, off or inherited per org unit; an active configuration reconciles at once',
    auth: 'super_admin',
    body: availabilityInputSchema,
    response: appDetailSchema,
  }),
  previewAvailability: route({
    method: 'POST',
    path: '/api/apps/:key/availability/preview',
    summary: 'Whom an availability change would affect (M-6; nothing before the setup is finished)',
    auth: 'super_admin',
    body: availabilityInputSchema,
    response: impactSchema,
  }),
  startSetup: route({
    method: 'POST',
    path: '/api/apps/:key/configuration',
    summary: "Starts the wizard: a draft with the catalog's default mapping and rules (409 until SSO is configured)",
    auth: 'super_admin',
    response: appDetailSchema,
    status: 201,
  }),
  reachStep: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/step',
    summary: 'Remembers the furthest wizard step reached',
    auth: 'super_admin',
    body: wizardStepInputSchema,
    response: appDetailSchema,
  }),
  startAuthorization: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/authorization',
    summary: "The app's authorization page (OAuth code + PKCE), with an OAuth client for apps without a built-in one",
    auth: 'super_admin',
    body: startAuthorizationInputSchema,
    response: startAuthorizationResultSchema,
  }),
  oauthCallback: route({
    method: 'GET',
    path: '/api/oauth/callback',
    summary: "Where the app's authorization page sends the admin back: 302 to the wizard's next step, the app page, or back with authorization_error",
    auth: 'super_admin',
    query: oauthCallbackQuerySchema,
    response: 'redirect',
  }),
  saveBearerToken: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/bearer-token',
    summary: 'Stores a bearer token and the endpoint it is for (400 for apps that take OAuth only)',
    auth: 'super_admin',
    body: bearerTokenInputSchema,
    response: appDetailSchema,
  }),
  checkEndpoint: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/endpoint/check',
    summary: "Checks the SCIM endpoint (400 with the reason on fields.endpointUrl; another origin than the authorization's is refused uncontacted, S-5)",
    auth: 'super_admin',
    body: endpointInputSchema,
    response: endpointCheckSchema,
  }),
  saveEndpoint: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/endpoint',
    summary: 'Saves the endpoint once it answers as SCIM with the stored authorization (W-3)',
    auth: 'super_admin',
    body: endpointInputSchema,
    response: appDetailSchema,
  }),
  saveMapping: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/mapping',
    summary: "Saves the attribute mapping (W-4), checked against the app's attributes (fields['rows.N.source'])",
    auth: 'super_admin',
    body: mappingInputSchema,
    response: appDetailSchema,
  }),
  previewMapping: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/mapping/preview',
    summary: 'One real directory user as the app would get them with these rows',
    auth: 'super_admin',
    body: mappingPreviewInputSchema,
    response: mappingPreviewSchema,
  }),
  saveScope: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/scope',
    summary: "Saves the scope groups with their access levels (W-5), checked against the app's levels; an active configuration reconciles at once (M-1)",
    auth: 'super_admin',
    body: scopeInputSchema,
    response: appDetailSchema,
  }),
  previewScope: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/scope/preview',
    summary: 'What a scope change would do (M-6): accounts made, delays started, access levels and pending timers changed',
    auth: 'super_admin',
    body: scopeInputSchema,
    response: impactSchema,
  }),
  saveDeprovisioning: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/deprovisioning',
    summary: 'Saves the deprovisioning rules (W-6, M-2); pending timers move to the new delays at once',
    auth: 'super_admin',
    body: deprovisioningInputSchema,
    response: appDetailSchema,
  }),
  previewDeprovisioning: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/deprovisioning/preview',
    summary: 'Which pending timers a rules change would move, and to when (M-6)',
    auth: 'super_admin',
    body: deprovisioningInputSchema,
    response: impactSchema,
  }),
  finishSetup: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/finish',
    summary: 'Finishes the wizard, saved as a draft (W-7; 409 naming what is missing)',
    auth: 'super_admin',
    response: appDetailSchema,
  }),
  setActivation: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/activation',
    summary: 'Turns provisioning on (W-8, starts the first run) or off (M-3)',
    auth: 'super_admin',
    body: activationInputSchema,
    response: appDetailSchema,
  }),
  deletionImpact: route({
    method: 'GET',
    path: '/api/apps/:key/configuration/deletion-impact',
    summary: 'What deleting the configuration would leave (M-6): users waiting for a delay, accounts, runs',
    auth: 'admin',
    response: deletionImpactSchema,
  }),
  carryOutTimers: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/timers/carry-out',
    summary: 'A run that carries out every pending deprovisioning now (409 when not active or held)',
    auth: 'super_admin',
    response: syncRunStartedSchema,
    status: 202,
  }),
  deleteConfiguration: route({
    method: 'DELETE',
    path: '/api/apps/:key/configuration',
    summary: 'Deletes the configuration (M-4): accounts stay in the app, its sync history and reports are kept (409 while a run is running)',
    auth: 'super_admin',
    response: appDetailSchema,
  }),
  syncNow: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/sync',
    summary: 'Starts a run or a dry run (L-4, E-15; 409 when not active, held or needing re-authorization)',
    auth: 'super_admin',
    body: syncNowInputSchema,
    response: syncRunStartedSchema,
    status: 202,
  }),
  runs: route({
    method: 'GET',
    path: '/api/apps/:key/configuration/runs',
    summary: 'The sync history, newest first (L-2; keyset: nextCursor)',
    auth: 'admin',
    query: runPageQuerySchema,
    response: syncRunPageSchema,
  }),
  run: route({ method: 'GET', path: '/api/apps/:key/configuration/runs/:runId', summary: 'One run and its progress', auth: 'admin', response: syncRunSchema }),
  runReport: route({
    method: 'GET',
    path: '/api/apps/:key/configuration/runs/:runId/report',
    summary: 'The report of a run that is over, filtered (L-3; 409 while it is pending or running)',
    auth: 'admin',
    query: reportQuerySchema,
    response: reportPageSchema,
  }),
  runReportCsv: route({
    method: 'GET',
    path: '/api/apps/:key/configuration/runs/:runId/report.csv',
    summary: 'The report as streamed CSV (RFC 4180, UTF-8 with BOM)',
    auth: 'admin',
    query: reportFilterSchema,
    response: 'csv',
  }),
  onDemandPlan: route({
    method: 'GET',
    path: '/api/apps/:key/configuration/on-demand',
    summary: 'What a run would do for one user, and why (E-20)',
    auth: 'admin',
    query: onDemandInputSchema,
    response: onDemandPlanSchema,
  }),
  onDemandRunStart: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/on-demand/run',
    summary: 'Provisions one user now (E-20)',
    auth: 'super_admin',
    body: onDemandInputSchema,
    response: onDemandStartedSchema,
    status: 202,
  }),
  onDemandRun: route({
    method: 'GET',
    path: '/api/apps/:key/configuration/on-demand/runs/:runId',
    summary: 'An on-demand run with its SCIM exchanges',
    auth: 'admin',
    response: onDemandRunSchema,
  }),
  allowHeldRun: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/held-run/allow',
    summary: 'Lets a run held by the deletion guard go ahead (E-14)',
    auth: 'super_admin',
    response: syncRunStartedSchema,
    status: 202,
  }),
  reconcileNow: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/reconcile',
    summary: 'Reconcile now: a full run that also reads what the app holds and sets drift back or reports it (E-19)',
    auth: 'super_admin',
    response: syncRunStartedSchema,
    status: 202,
  }),
  driftPreview: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/drift/preview',
    summary: 'What switching the drift setting would do to live accounts (E-19, M-6)',
    auth: 'super_admin',
    body: driftModeInputSchema,
    response: driftImpactSchema,
  }),
  setDriftMode: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/drift',
    summary: 'Drift setting: correct accounts changed in the app, or only report them (E-19)',
    auth: 'super_admin',
    body: driftModeInputSchema,
    response: appDetailSchema,
  }),
  setRequestLimits: route({
    method: 'PUT',
    path: '/api/apps/:key/configuration/limits',
    summary: "Request limits the app's requests are paced by, instead of the catalog's (E-18)",
    auth: 'super_admin',
    body: requestLimitsSchema,
    response: appDetailSchema,
  }),
  resetRequestLimits: route({
    method: 'DELETE',
    path: '/api/apps/:key/configuration/limits',
    summary: "Back to the catalog's request limits (E-18)",
    auth: 'super_admin',
    response: appDetailSchema,
  }),
  retryQuarantined: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/quarantine/retry',
    summary: 'Retry now: one probe of a quarantined app, which leaves quarantine if it answers (E-17)',
    auth: 'super_admin',
    response: probeResultSchema,
  }),
  retryEscrowed: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/escrow/:userId/retry',
    summary: "Tries one user's failed operation again now, a refused one too (E-16)",
    auth: 'super_admin',
    response: syncRunStartedSchema,
    status: 202,
  }),
  cancelHeldRun: route({
    method: 'POST',
    path: '/api/apps/:key/configuration/held-run/cancel',
    summary: 'Cancels a held run: provisioning is disabled, nothing deprovisioned (E-14)',
    auth: 'super_admin',
    response: appDetailSchema,
  }),

  // ---- reports (L-1, M-4, M-6) ----
  deletedConfigurations: route({
    method: 'GET',
    path: '/api/reports/deleted-configurations',
    summary: 'Deleted configurations, newest first, with their number of runs',
    auth: 'admin',
    response: deletedConfigurationListSchema,
  }),
  deletedConfigurationRuns: route({
    method: 'GET',
    path: '/api/reports/deleted-configurations/:id/runs',
    summary: 'The sync history of a deleted configuration',
    auth: 'admin',
    query: runPageQuerySchema,
    response: syncRunPageSchema,
  }),
  deletedConfigurationReport: route({
    method: 'GET',
    path: '/api/reports/deleted-configurations/:id/runs/:runId/report',
    summary: 'The report of a run of a deleted configuration',
    auth: 'admin',
    query: reportQuerySchema,
    response: reportPageSchema,
  }),
  usageLog: route({
    method: 'GET',
    path: '/api/reports/usage',
    summary: 'The usage log of the last 30 days across apps (keyset: nextCursor)',
    auth: 'admin',
    query: usageLogQuerySchema,
    response: usageLogPageSchema,
  }),
  usageSummary: route({
    method: 'GET',
    path: '/api/reports/usage/summary',
    summary: 'Usage counts per event and per day',
    auth: 'admin',
    query: usageLogFilterSchema,
    response: usageLogSummarySchema,
  }),
  usageCsv: route({
    method: 'GET',
    path: '/api/reports/usage.csv',
    summary: 'The usage log as streamed CSV (RFC 4180, UTF-8 with BOM)',
    auth: 'admin',
    query: usageLogFilterSchema,
    response: 'csv',
  }),

  // ---- alerts (L-7) ----
  notifications: route({ method: 'GET', path: '/api/alerts/notifications', summary: 'The notifications sent', auth: 'admin', response: notificationListSchema }),
  alertSettings: route({ method: 'GET', path: '/api/alerts/settings', summary: 'Alert settings (secrets are never sent, S-2)', auth: 'admin', response: alertSettingsSchema }),
  saveAlertSettings: route({
    method: 'PUT',
    path: '/api/alerts/settings',
    summary: 'Saves the alert settings',
    auth: 'super_admin',
    body: alertSettingsInputSchema,
    response: alertSettingsSchema,
  }),
  replaceWebhookSecret: route({
    method: 'POST',
    path: '/api/alerts/settings/webhook-secret',
    summary: "Replaces the webhook's signing secret",
    auth: 'super_admin',
    response: alertSettingsSchema,
  }),
  testEmail: route({ method: 'POST', path: '/api/alerts/test-email', summary: 'Sends a test e-mail', auth: 'super_admin', response: testDeliveryResultSchema }),
  testWebhook: route({ method: 'POST', path: '/api/alerts/test-webhook', summary: 'Sends a test webhook', auth: 'super_admin', response: testDeliveryResultSchema }),
} as const satisfies Record<string, ApiRoute>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
