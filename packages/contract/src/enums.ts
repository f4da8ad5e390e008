// Closed sets shared by the database columns, the API schemas and the console.

export const adminRoles = ['super_admin', 'read_only'] as const;
export type AdminRole = (typeof adminRoles)[number];

/** SPEC §1: a directory user's status; `deleted` users are kept so the engine can deprovision them. */
export const userStatuses = ['active', 'suspended', 'archived', 'deleted'] as const;
export type UserStatus = (typeof userStatuses)[number];

export const domainKinds = ['primary', 'secondary'] as const;
export type DomainKind = (typeof domainKinds)[number];

export const groupMemberKinds = ['user', 'group', 'external'] as const;
export type GroupMemberKind = (typeof groupMemberKinds)[number];

export const directoryEntityKinds = ['user', 'group', 'org_unit'] as const;
export type DirectoryEntityKind = (typeof directoryEntityKinds)[number];

export const directoryChangeActions = [
  'created',
  'updated',
  'suspended',
  'restored',
  'archived',
  'deleted',
  'member_added',
  'member_removed',
] as const;
export type DirectoryChangeAction = (typeof directoryChangeActions)[number];
