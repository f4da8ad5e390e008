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
}

export interface CatalogEntry {
  key: string;
  name: string;
  description: string;
  /** W-3: prefilled endpoint; `{AccountKey}` must be replaced. Null: the admin types it. */
  endpointTemplate: string | null;
  authorization: 'oauth' | 'oauth_or_bearer';
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
  /** E-18: what the app allows; each value says where it comes from. */
  limits: CatalogLimits;
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
  },
];

export function catalogEntry(key: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.key === key);
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
