/** The apps autoprov knows (SPEC §1 "App"). Shared by the console (wizard), server and engine. */

/** The directory attributes a mapping can use (W-4), with their labels. */
export const directoryAttributes = {
  primaryEmail: 'Primary e-mail',
  givenName: 'First name',
  familyName: 'Last name',
  fullName: 'Full name',
  jobTitle: 'Job title',
  department: 'Department',
  phone: 'Phone',
  employeeId: 'Employee ID',
  orgUnitPath: 'Organisational unit',
  photoUrl: 'Photo URL',
} as const;
export type DirectoryAttribute = keyof typeof directoryAttributes;

export interface CatalogAttribute {
  /** SCIM attribute path, e.g. `name.givenName` or `emails[type eq "work"].value`. */
  path: string;
  label: string;
  required: boolean;
  /** The directory attribute prefilled by the wizard (W-4). */
  defaultSource: string | null;
}

export interface CatalogAccessLevel {
  value: string;
  label: string;
}

/**
 * E-18: the request limits an app publishes. The SCIM client paces every request to the app
 * by them (its `AppLimits` has this shape) and slows down further when the app says 429.
 */
export interface CatalogLimits {
  /** Requests started per second at most. */
  ratePerSecond: number;
  /** Requests that may start at once after a quiet spell. */
  burst: number;
  /** Requests in flight at once at most. */
  concurrency: number;
  /**
   * Limits the vendor puts on some operations only (`METHOD /Resource`; the operations listed
   * share one), on top of the rest: `burst + ratePerSecond × window` stays within the window.
   */
  perOperation?: { operations: string[]; ratePerSecond: number; burst: number }[];
}

/**
 * Issue 15 item 3: what an app refuses that SCIM 2.0 allows, as its vendor documents it. The
 * SCIM client enforces each one in one place (packages/scim-client/src/client.ts, `ScimQuirks`
 * has this shape); the catalog says which app has which.
 */
export interface CatalogQuirks {
  /** Member changes one group PATCH may carry at most (AWS 100, Miro 8,000): larger ones are split. */
  groupPatchMaxMembers?: number;
  /** Most resources one list page holds (AWS 50): list requests ask for no more. */
  pageSize?: number;
  /** The only filter operators the app parses (AWS: `eq` and `and`); others are never sent. */
  filterOperators?: string[];
  /** One value per multi-valued attribute (emails, phone numbers, addresses): only the primary is sent. */
  singleValuedOnly?: boolean;
  /** The app refuses a request without a User-Agent (AWS); autoprov sends `autoprov/<version>` on every request anyway. */
  requiresUserAgent?: boolean;
  /** DELETE deactivates the account, which stays in the app (Slack): a returning user's account is found and re-activated. */
  deleteDeactivates?: boolean;
}

export interface CatalogEntry {
  key: string;
  name: string;
  description: string;
  /**
   * W-3: prefilled endpoint; `{AccountKey}` must be replaced. Null: the admin types it. One with
   * no placeholder is the same for every organisation (Slack, Zoom, Miro): see `sharedEndpoint`.
   */
  endpointTemplate: string | null;
  /** `bearer`: a token made in the app's admin settings (most SCIM apps); `oauth`: its OAuth 2.0 server. */
  authorization: 'oauth' | 'oauth_or_bearer' | 'bearer';
  attributes: CatalogAttribute[];
  /** Lowest first (E-7). */
  accessLevels: CatalogAccessLevel[];
  defaultAccessLevel: string;
  /** E-13: directory groups can be mapped to the app's groups (teams). */
  takesGroups: boolean;
  /** W-2: the app's own OAuth 2.0 server; null: the admin gives it (custom apps). */
  oauth: { issuer: string; authorizationUrl: string; tokenUrl: string; scope: string } | null;
  /** Where to find the account key (W-3 help text). */
  endpointHelp: string;
  /** E-18: what the app allows; each value says where it comes from. A super-admin may set others (`requestLimitsOf`). */
  limits: CatalogLimits;
  /** E-18: the vendor's page the limits come from; null when the vendor publishes none (the limits are then conservative). */
  limitsSource: string | null;
  /** What the app refuses that SCIM allows (issue 15 item 3); none for a conformant app. */
  quirks: CatalogQuirks;
  /** The vendor's limits and quirks in words, for the app page (each from the vendor's documentation). */
  notes: string[];
}

/** Where the built-in demo app (SPEC §6) answers by default; GoToMeeting's entry points at it. */
export const DEMO_APP_URL = 'http://127.0.0.1:3100';

const coreAttributes: CatalogAttribute[] = [
  { path: 'userName', label: 'User name', required: true, defaultSource: 'primaryEmail' },
  { path: 'name.givenName', label: 'First name', required: true, defaultSource: 'givenName' },
  { path: 'name.familyName', label: 'Last name', required: true, defaultSource: 'familyName' },
  { path: 'emails[type eq "work"].value', label: 'Work e-mail', required: true, defaultSource: 'primaryEmail' },
  { path: 'displayName', label: 'Display name', required: false, defaultSource: 'fullName' },
  { path: 'title', label: 'Job title', required: false, defaultSource: 'jobTitle' },
  { path: 'phoneNumbers[type eq "work"].value', label: 'Work phone', required: false, defaultSource: 'phone' },
  {
    path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
    label: 'Employee number',
    required: false,
    defaultSource: 'employeeId',
  },
  {
    path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
    label: 'Department',
    required: false,
    defaultSource: 'department',
  },
];

const attribute = (path: string, label: string, required: boolean, defaultSource: DirectoryAttribute | null): CatalogAttribute => ({
  path,
  label,
  required,
  defaultSource,
});
const workEmail = (required: boolean) => attribute('emails[type eq "work"].value', 'Work e-mail', required, 'primaryEmail');
const givenName = (required: boolean) => attribute('name.givenName', 'First name', required, 'givenName');
const familyName = (required: boolean) => attribute('name.familyName', 'Last name', required, 'familyName');
const enterprise = (name: string, label: string, source: DirectoryAttribute) =>
  attribute(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:${name}`, label, false, source);

/**
 * The SaaS apps of issue 15 item 3, from their vendors' SCIM documentation. Their limits are
 * the published ones turned into a steady pace (a token bucket: `burst + rate × window` never
 * passes what the vendor allows in its window); a 429 slows the app further (E-18).
 */
function vendorApps(): CatalogEntry[] {
  return [
    {
      key: 'slack',
      name: 'Slack',
      description: 'Team messaging (Business+ and Enterprise Grid). Takes directory groups as user groups.',
      endpointTemplate: 'https://api.slack.com/scim/v2/',
      authorization: 'bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        workEmail(true),
        attribute('displayName', 'Display name', false, 'fullName'),
        givenName(false),
        familyName(false),
        attribute('title', 'Job title', false, 'jobTitle'),
        attribute('phoneNumbers[type eq "work"].value', 'Work phone', false, 'phone'),
        attribute('photos[type eq "photo"].value', 'Profile photo', false, 'photoUrl'),
        enterprise('employeeNumber', 'Employee number', 'employeeId'),
        enterprise('department', 'Department', 'department'),
      ],
      accessLevels: [{ value: 'member', label: 'Full member' }],
      defaultAccessLevel: 'member',
      takesGroups: true,
      oauth: null,
      endpointHelp: 'Slack\'s SCIM address is the same for every organisation. The token is a user token with the "admin" scope, from an app installed by an Org Owner or Primary Owner.',
      // docs.slack.dev/reference/scim-api/rate-limits: 180 per minute for each of create, update
      // and delete, 300 reads of one user, and 600 writes per minute for the whole organisation,
      // shared by every SCIM app. Each operation stays under its own (5 + 2.9 × 60 = 179 a
      // minute); all together at 5/s, half the organisation's budget, the rest left to the others.
      limits: {
        ratePerSecond: 5,
        burst: 10,
        concurrency: 2,
        perOperation: [
          { operations: ['POST /Users'], ratePerSecond: 2.9, burst: 5 },
          { operations: ['PUT /Users', 'PATCH /Users'], ratePerSecond: 2.9, burst: 5 },
          { operations: ['DELETE /Users'], ratePerSecond: 2.9, burst: 5 },
        ],
      },
      limitsSource: 'https://docs.slack.dev/reference/scim-api/rate-limits',
      quirks: { deleteDeactivates: true },
      notes: [
        'Slack allows 180 creates, 180 updates and 180 deletions per minute, and 600 writes per minute for the whole organisation, shared by every SCIM app: autoprov keeps each operation under its limit and uses at most half of the organisation\'s budget.',
        'Deleting an account in Slack deactivates it; it stays in Slack. A user who comes back gets the same account, re-activated.',
      ],
    },
    {
      key: 'github-emu',
      name: 'GitHub Enterprise Managed Users',
      description: "GitHub Enterprise Cloud with managed user accounts. Takes directory groups as the enterprise's groups.",
      endpointTemplate: 'https://api.github.com/scim/v2/enterprises/{Enterprise}',
      authorization: 'bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        attribute('externalId', 'External ID', true, 'primaryEmail'),
        attribute('displayName', 'Display name', true, 'fullName'),
        givenName(true),
        familyName(true),
        workEmail(true),
      ],
      // GitHub's SCIM `roles` values, lowest first.
      accessLevels: [
        { value: 'guest_collaborator', label: 'Guest collaborator' },
        { value: 'user', label: 'Enterprise member' },
        { value: 'billing_manager', label: 'Billing manager' },
        { value: 'enterprise_owner', label: 'Enterprise owner' },
      ],
      defaultAccessLevel: 'user',
      takesGroups: true,
      oauth: null,
      endpointHelp:
        "Replace {Enterprise} with your enterprise's slug (the name after github.com/enterprises/). The token is a personal access token (classic) of the setup user, with the scim:enterprise scope.",
      // docs.github.com, "Provisioning users and groups with SCIM using the REST API": at most
      // 1,000 users provisioned per hour. Requests are paced per app, not per user, so at most
      // 1,000 requests in any hour, whatever each user needs: `burst + rate × 3,600 s` =
      // 1 + 990 = 991, a margin for requests that reach GitHub closer together than they left
      // (a burst of 10 on top of 1,000 an hour would allow 1,010). GitHub
      // answers a rate limit with 403 or 429 and Retry-After ("Rate limits for the REST API"):
      // the SCIM client takes such a 403 as "too many", not as a refused token.
      limits: { ratePerSecond: 990 / 3600, burst: 1, concurrency: 1 },
      limitsSource: 'https://docs.github.com/en/enterprise-cloud@latest/admin/managing-iam/provisioning-user-accounts-with-scim/provisioning-users-and-groups-with-scim-using-the-rest-api',
      // "REST API endpoints for provisioning users with SCIM require a User-Agent header."
      quirks: { requiresUserAgent: true },
      notes: [
        'GitHub provisions at most 1,000 users per hour: autoprov sends at most 1,000 requests in any hour, so a first sync of a large organisation takes hours.',
        'Every request needs a User-Agent header.',
        'GitHub refuses requests past a rate limit with 403 or 429 and says when to come back: autoprov waits, and does not take it for a revoked token.',
      ],
    },
    {
      key: 'aws-iam-identity-center',
      name: 'AWS IAM Identity Center',
      description: 'Single sign-on to AWS accounts and applications. Takes directory groups as Identity Center groups.',
      endpointTemplate: 'https://scim.{Region}.amazonaws.com/{TenantId}/scim/v2',
      authorization: 'bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        attribute('displayName', 'Display name', true, 'fullName'),
        givenName(true),
        familyName(true),
        workEmail(false),
        attribute('title', 'Job title', false, 'jobTitle'),
        attribute('phoneNumbers[type eq "work"].value', 'Work phone', false, 'phone'),
        enterprise('employeeNumber', 'Employee number', 'employeeId'),
        enterprise('department', 'Department', 'department'),
      ],
      // Permission sets are assigned to groups in AWS, not through SCIM.
      accessLevels: [{ value: 'user', label: 'User' }],
      defaultAccessLevel: 'user',
      takesGroups: true,
      oauth: null,
      endpointHelp:
        'In the IAM Identity Center console, Settings → Identity source → Automatic provisioning shows the SCIM endpoint (with your region and tenant id) and makes the access token.',
      // Not published as a number (the API answers 429 ThrottlingException): conservative.
      limits: { ratePerSecond: 10, burst: 10, concurrency: 4 },
      limitsSource: null,
      quirks: { groupPatchMaxMembers: 100, pageSize: 50, filterOperators: ['eq', 'and'], singleValuedOnly: true, requiresUserAgent: true },
      notes: [
        'A group change carries at most 100 member changes: autoprov splits larger ones.',
        'A list page holds at most 50 accounts: autoprov reads page after page.',
        'Filters may only use eq and and; no /Bulk, /Me or /Search.',
        'One e-mail, one phone number and one address per user: autoprov sends only the primary one.',
        'Every request needs a User-Agent header.',
      ],
    },
    {
      key: 'zoom',
      name: 'Zoom',
      description: 'Video meetings. Access level sets the user type (Basic or Licensed).',
      endpointTemplate: 'https://api.zoom.us/scim2',
      authorization: 'oauth_or_bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        workEmail(true),
        givenName(true),
        familyName(true),
        attribute('displayName', 'Display name', false, 'fullName'),
        attribute('title', 'Job title', false, 'jobTitle'),
        attribute('phoneNumbers[type eq "work"].value', 'Work phone', false, 'phone'),
        enterprise('department', 'Department', 'department'),
      ],
      accessLevels: [
        { value: 'Basic', label: 'Basic' },
        { value: 'Licensed', label: 'Licensed' },
      ],
      defaultAccessLevel: 'Basic',
      takesGroups: true,
      oauth: null,
      endpointHelp: 'The token comes from a Server-to-Server OAuth app in the Zoom App Marketplace, with the SCIM scopes; the address is the same for every account.',
      // developers.zoom.us/docs/api/scim2: SCIM2 needs a Business or Education account; each
      // operation has a rate-limit label (Light or Medium). developers.zoom.us/docs/api/rate-limits:
      // per second, per account, shared by every app on it; Business and above allow 60 Medium
      // and 80 Light requests a second. Any second holds at most `burst + rate` = 40 here: within
      // the lower of the two, with a third of it left to the account's other apps. (An older
      // SCIM2 reference, marketplace.zoom.us/docs/api-reference/scim-api, said 1 request a second
      // per endpoint; the current one does not: a 429 slows autoprov down if it still applies.)
      limits: { ratePerSecond: 20, burst: 20, concurrency: 4 },
      limitsSource: 'https://developers.zoom.us/docs/api/rate-limits/',
      quirks: {},
      notes: [
        'Zoom\'s SCIM API needs a Business or Education account. Zoom limits requests per second for the whole account, shared by every app on it (60 a second for the SCIM operations labelled Medium, 80 for Light): autoprov sends at most 40 in any second.',
        'Zoom answers 429 without saying when to come back: autoprov backs off and retries.',
      ],
    },
    {
      key: 'miro',
      name: 'Miro',
      description: 'Online whiteboard (Enterprise plan). Takes directory groups as Miro groups.',
      endpointTemplate: 'https://miro.com/api/v1/scim',
      authorization: 'bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        givenName(false),
        familyName(false),
        attribute('displayName', 'Display name', false, 'fullName'),
        attribute('title', 'Job title', false, 'jobTitle'),
        enterprise('department', 'Department', 'department'),
      ],
      accessLevels: [
        { value: 'ORGANIZATION_INTERNAL_USER', label: 'Member' },
        { value: 'ORGANIZATION_INTERNAL_ADMIN', label: 'Company admin' },
      ],
      defaultAccessLevel: 'ORGANIZATION_INTERNAL_USER',
      takesGroups: true,
      oauth: null,
      endpointHelp: 'Company settings → Enterprise integrations → SCIM shows the token; the address is the same for every company.',
      // developers.miro.com/reference/rate-limits, per 30 s: 200 reads and 200 creates of users,
      // 100 updates (PUT, and PATCH), 20 deletions; 5 group searches; 5 group PATCHes over 500
      // bytes (a member change usually is). Each bucket keeps `burst + rate × 30` within them.
      limits: {
        ratePerSecond: 6,
        burst: 10,
        concurrency: 2,
        perOperation: [
          { operations: ['PUT /Users'], ratePerSecond: 3, burst: 10 },
          { operations: ['PATCH /Users'], ratePerSecond: 3, burst: 10 },
          { operations: ['DELETE /Users'], ratePerSecond: 0.6, burst: 2 },
          { operations: ['GET /Groups'], ratePerSecond: 0.13, burst: 1 },
          { operations: ['PATCH /Groups'], ratePerSecond: 0.13, burst: 1 },
        ],
      },
      limitsSource: 'https://developers.miro.com/reference/rate-limits',
      quirks: { groupPatchMaxMembers: 8000 },
      notes: [
        'Miro counts requests per 30 seconds: 200 creates, 100 updates, 20 deletions, 5 group searches and 5 group changes: autoprov keeps each under its limit, so deleting many accounts takes a while.',
        'A group change carries at most 8,000 members: autoprov splits larger ones.',
      ],
    },
    {
      key: 'atlassian',
      name: 'Atlassian Cloud',
      description: 'Jira, Confluence and the other Atlassian Cloud products. Groups give product access.',
      endpointTemplate: 'https://api.atlassian.com/scim/directory/{DirectoryId}',
      authorization: 'bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        workEmail(true),
        givenName(false),
        familyName(false),
        attribute('displayName', 'Display name', false, 'fullName'),
        attribute('title', 'Job title', false, 'jobTitle'),
        enterprise('department', 'Department', 'department'),
      ],
      // Product access comes from the groups an account is in, not from a role.
      accessLevels: [{ value: 'user', label: 'User' }],
      defaultAccessLevel: 'user',
      takesGroups: true,
      oauth: null,
      endpointHelp:
        'In admin.atlassian.com, Security → Identity providers → your directory → Set up user provisioning gives the directory base URL (with its directory id) and the API key.',
      // developer.atlassian.com/cloud/admin/user-provisioning/rest (the user provisioning REST
      // API) publishes no request limit; Atlassian's admin APIs answer 429 past theirs
      // (developer.atlassian.com/cloud/admin/organization/rest/intro). Not published: conservative.
      limits: { ratePerSecond: 10, burst: 10, concurrency: 4 },
      limitsSource: null,
      // The same API's Get users: filtering by one exact match (`eq`) on userName or externalId,
      // no sorting; support.atlassian.com ("Fetch all Atlassian Cloud users via user provisioning
      // SCIM API"): at most 100 users a page, the next ones by startIndex.
      quirks: { pageSize: 100, filterOperators: ['eq'] },
      notes: [
        'Atlassian publishes no request limit for its user provisioning API: autoprov starts at 10 requests per second and slows down when told to (429).',
        'A list page holds at most 100 accounts: autoprov reads page after page.',
        'Filters may only be one exact match (eq): autoprov sends no other.',
        'An account can only be created with an e-mail address on a domain the organisation has verified.',
        'Product access is given by groups: map directory groups to the Atlassian groups that grant it.',
      ],
    },
    {
      key: 'dropbox',
      name: 'Dropbox',
      description: 'File storage for teams (Business and Enterprise).',
      endpointTemplate: null,
      authorization: 'oauth_or_bearer',
      attributes: [
        attribute('userName', 'User name', true, 'primaryEmail'),
        workEmail(true),
        givenName(true),
        familyName(true),
        attribute('externalId', 'External ID', false, 'employeeId'),
      ],
      accessLevels: [{ value: 'member', label: 'Team member' }],
      defaultAccessLevel: 'member',
      takesGroups: true,
      oauth: null,
      endpointHelp: "Dropbox publishes no SCIM address: ask Dropbox for your team's SCIM base URL (the address before /Users) and its token.",
      // No Dropbox documentation of a SCIM endpoint, quirk or limit could be found (Dropbox's
      // developer and help pages were searched): no template, nothing beyond SCIM 2.0 to
      // respect, and a conservative pace; a 429 slows it further.
      limits: { ratePerSecond: 5, burst: 5, concurrency: 2 },
      limitsSource: null,
      quirks: {},
      notes: [
        'Dropbox documents no public SCIM endpoint: the admin types the address Dropbox gives.',
        'Dropbox publishes no SCIM request limit: autoprov starts at 5 requests per second and slows down when told to.',
      ],
    },
  ];
}

export const catalog: CatalogEntry[] = [
  {
    key: 'gotomeeting',
    name: 'GoToMeeting',
    description: 'Online meetings. Provisioning creates GoTo accounts and gives them product access.',
    endpointTemplate: `${DEMO_APP_URL}/scim/v2/accounts/{AccountKey}`,
    authorization: 'oauth',
    attributes: coreAttributes,
    accessLevels: [
      { value: 'organizer', label: 'GoToMeeting Organizer' },
      { value: 'admin', label: 'GoToMeeting Admin' },
    ],
    defaultAccessLevel: 'organizer',
    takesGroups: false,
    oauth: { issuer: `${DEMO_APP_URL}/oauth`, authorizationUrl: `${DEMO_APP_URL}/oauth/auth`, tokenUrl: `${DEMO_APP_URL}/oauth/token`, scope: 'offline_access scim:users' },
    endpointHelp: 'Your account key is the number after #accounts/ in the address of your GoTo Admin Center (for example …/#accounts/4821937).',
    limits: {
      // Published: GoTo's APIs allow 10 requests per second by default
      // (developer.goto.com/guides/References/Ref-Rate-Limits).
      ratePerSecond: 10,
      // Not published: one second's worth at once, a few in flight (conservative).
      burst: 10,
      concurrency: 4,
    },
    limitsSource: 'https://developer.goto.com/guides/References/Ref-Rate-Limits',
    quirks: {},
    notes: ['GoTo allows 10 API requests per second by default.'],
  },
  {
    key: 'workleap',
    name: 'Workleap',
    description: 'Employee engagement. Takes directory groups as teams.',
    endpointTemplate: null,
    authorization: 'oauth_or_bearer',
    attributes: coreAttributes,
    accessLevels: [
      { value: 'member', label: 'Member' },
      { value: 'manager', label: 'Manager' },
      { value: 'admin', label: 'Administrator' },
    ],
    defaultAccessLevel: 'member',
    takesGroups: true,
    oauth: null,
    endpointHelp: "Workleap shows its SCIM endpoint and lets you create a token under Settings → Integrations → SCIM.",
    // Not published by Workleap: conservative, about what SaaS SCIM APIs that do publish allow
    // for writes (Deel 5/s, Slack 10/s organisation-wide); a 429 slows it further.
    limits: { ratePerSecond: 5, burst: 5, concurrency: 4 },
    limitsSource: null,
    quirks: {},
    notes: ['Workleap publishes no request limit: autoprov starts at 5 requests per second and slows down when told to.'],
  },
  {
    key: 'custom-scim',
    name: 'Custom SCIM 2.0 app',
    description: 'Any app with a SCIM 2.0 endpoint: give its URL and an OAuth client or a bearer token.',
    endpointTemplate: null,
    authorization: 'oauth_or_bearer',
    attributes: coreAttributes,
    accessLevels: [{ value: 'user', label: 'User' }],
    defaultAccessLevel: 'user',
    takesGroups: true,
    oauth: null,
    endpointHelp: "The app's documentation gives its SCIM 2.0 base URL (the address before /Users).",
    // Unknown app: conservative, like the SaaS SCIM APIs that publish a limit (GoTo 10/s);
    // a super-admin can raise it for an app that takes more, and a 429 slows it further.
    limits: { ratePerSecond: 10, burst: 10, concurrency: 4 },
    limitsSource: null,
    quirks: {},
    notes: [],
  },
  ...vendorApps(),
];

export function catalogEntry(key: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.key === key);
}

const comparable = (url: string) => {
  try {
    return new URL(url).toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
};
const sharedEndpoints = new Set(catalog.flatMap((e) => (e.endpointTemplate && !/\{[^}]*\}/.test(e.endpointTemplate) ? [comparable(e.endpointTemplate)] : [])));

/**
 * E-18: whether every organisation's SCIM service answers at this address (Slack's, Zoom's,
 * Miro's: the catalog gives it with nothing to fill in). Then the address does not tell one
 * tenant from another; the credential does.
 */
export function sharedEndpoint(endpointUrl: string): boolean {
  return sharedEndpoints.has(comparable(endpointUrl));
}

/**
 * E-18: the limits requests to an app are paced by: a super-admin's, over the catalog's (an
 * unknown app gets a custom app's). Per-operation limits the super-admin left out stay the
 * catalog's: the vendor's limits on some operations hold whatever the overall pace is set to.
 */
export function requestLimitsOf(appKey: string, override: CatalogLimits | null | undefined): CatalogLimits {
  const published = (catalogEntry(appKey) ?? catalogEntry('custom-scim')!).limits;
  if (!override) return published;
  const perOperation = override.perOperation ?? published.perOperation;
  return {
    ratePerSecond: override.ratePerSecond,
    burst: override.burst,
    concurrency: override.concurrency,
    ...(perOperation && perOperation.length > 0 ? { perOperation } : {}),
  };
}

/** The catalog with the demo app's address replaced by where GoToMeeting really answers. */
export function catalogAt(vendorUrls: Partial<Record<string, string>>): CatalogEntry[] {
  return catalog.map((entry) => {
    const url = vendorUrls[entry.key]?.replace(/\/+$/, '');
    if (!url) return entry;
    const at = (s: string) => s.replace(DEMO_APP_URL, url);
    return {
      ...entry,
      endpointTemplate: entry.endpointTemplate && at(entry.endpointTemplate),
      oauth: entry.oauth && { ...entry.oauth, issuer: at(entry.oauth.issuer), authorizationUrl: at(entry.oauth.authorizationUrl), tokenUrl: at(entry.oauth.tokenUrl) },
    };
  });
}
