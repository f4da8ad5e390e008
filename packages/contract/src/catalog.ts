/** The apps autoprov knows (SPEC §1 "App"). Shared by the console (wizard), server and engine. */

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
}

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
    endpointTemplate: 'http://127.0.0.1:3100/scim/v2/accounts/{AccountKey}',
    authorization: 'oauth',
    attributes: coreAttributes,
    accessLevels: [
      { value: 'organizer', label: 'GoToMeeting Organizer' },
      { value: 'admin', label: 'GoToMeeting Admin' },
    ],
    defaultAccessLevel: 'organizer',
    takesGroups: false,
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
  },
];

export function catalogEntry(key: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.key === key);
}
