import { z } from 'zod';
import {
  emailSchema,
  idSchema,
  isoDateSchema,
  nameSchema,
  optionalTextSchema,
  pageOf,
  pageQuerySchema,
} from './common.js';
import {
  directoryChangeActions,
  directoryEntityKinds,
  domainKinds,
  groupMemberKinds,
  userStatuses,
} from './enums.js';

export const organisationSchema = z.object({
  name: z.string(),
  domains: z.array(z.object({ name: z.string(), kind: z.enum(domainKinds) })),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const orgUnitSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  path: z.string(),
  description: z.string().nullable(),
  userCount: z.number().int(),
});
export type OrgUnit = z.infer<typeof orgUnitSchema>;
export const orgUnitListSchema = z.object({ items: z.array(orgUnitSchema) });

export const directoryUserSchema = z.object({
  id: z.string(),
  primaryEmail: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  status: z.enum(userStatuses),
  orgUnitId: z.string(),
  orgUnitPath: z.string(),
  photoUrl: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  phone: z.string().nullable(),
  employeeId: z.string().nullable(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  deletedAt: isoDateSchema.nullable(),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const groupSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  directMemberCount: z.number().int(),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

export const directoryUserDetailSchema = directoryUserSchema.extend({
  /** Groups the user is a direct member of. */
  groups: z.array(groupSummarySchema.pick({ id: true, email: true, name: true })),
});
export type DirectoryUserDetail = z.infer<typeof directoryUserDetailSchema>;

export const userListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
  status: z.enum(userStatuses).optional(),
  orgUnitId: idSchema.optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;
export const userPageSchema = pageOf(directoryUserSchema);


/** One schema for the console's user form and the server's create route. */
export const userInputSchema = z.object({
  primaryEmail: emailSchema,
  givenName: nameSchema('the first name'),
  familyName: nameSchema('the last name'),
  orgUnitId: z.string().min(1, 'Choose an organisational unit').max(64),
  jobTitle: optionalTextSchema(),
  department: optionalTextSchema(),
  phone: optionalTextSchema(50),
  employeeId: optionalTextSchema(50),
  photoUrl: optionalTextSchema(2000).pipe(
    z.url({ protocol: /^https?$/, message: 'Enter an http(s) address' }).nullable().optional(),
  ),
});
export type UserInput = z.input<typeof userInputSchema>;
export type UserInputParsed = z.output<typeof userInputSchema>;

export const userUpdateSchema = userInputSchema.partial();
export type UserUpdate = z.input<typeof userUpdateSchema>;

export const groupListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
});
export const groupPageSchema = pageOf(groupSummarySchema);

export const groupMemberSchema = z.object({
  id: z.string(),
  kind: z.enum(groupMemberKinds),
  user: directoryUserSchema
    .pick({ id: true, primaryEmail: true, givenName: true, familyName: true, status: true })
    .nullable(),
  group: groupSummarySchema.pick({ id: true, email: true, name: true }).nullable(),
  externalEmail: z.string().nullable(),
});
export type GroupMember = z.infer<typeof groupMemberSchema>;

export const groupDetailSchema = groupSummarySchema.extend({
  members: z.array(groupMemberSchema),
});
export type GroupDetail = z.infer<typeof groupDetailSchema>;

export const groupInputSchema = z.object({
  email: emailSchema,
  name: nameSchema('the group name'),
  description: optionalTextSchema(500, { multiline: true }),
});
export type GroupInput = z.input<typeof groupInputSchema>;

export const addGroupMemberSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: idSchema }),
  z.object({ kind: z.literal('group'), groupId: idSchema }),
  z.object({ kind: z.literal('external'), email: emailSchema }),
]);
export type AddGroupMember = z.infer<typeof addGroupMemberSchema>;

export const userStatusLabels: Record<(typeof userStatuses)[number], string> = {
  active: 'Active',
  suspended: 'Suspended',
  archived: 'Archived',
  deleted: 'Deleted',
};

export const directoryChangeSchema = z.object({
  id: z.number().int(),
  occurredAt: isoDateSchema,
  actorLabel: z.string(),
  entityKind: z.enum(directoryEntityKinds),
  entityId: z.string(),
  action: z.enum(directoryChangeActions),
  summary: z.string(),
});
export type DirectoryChange = z.infer<typeof directoryChangeSchema>;
export const directoryChangePageSchema = pageOf(directoryChangeSchema);

/** Issue 6: connecting Google Workspace. The key is the JSON file's text, read in the browser. */
export const googleConnectInputSchema = z.object({
  serviceAccountKey: z.string().min(1, 'Upload the service account key (the JSON file from the Google Cloud console)').max(20_000, 'This file is too large to be a service account key'),
  adminEmail: emailSchema,
});
export type GoogleConnectInput = z.infer<typeof googleConnectInputSchema>;

export const directorySourceSchema = z.object({
  kind: z.enum(['built_in', 'google']),
  google: z
    .object({
      clientEmail: z.string(),
      clientId: z.string(),
      adminEmail: z.string(),
      primaryDomain: z.string(),
      connectedAt: isoDateSchema,
      lastFullReadAt: isoDateSchema.nullable(),
      lastChangeReadAt: isoDateSchema.nullable(),
      lastError: z.string().nullable(),
      lastErrorAt: isoDateSchema.nullable(),
      /** Which part of the connection the admin must change to fix lastError; null when neither. */
      lastErrorField: z.enum(['serviceAccountKey', 'adminEmail']).nullable(),
    })
    .nullable(),
  /** A Google organisation read before, kept after disconnecting (its data stays in autoprov). */
  previousGoogleDomain: z.string().nullable(),
});
export type DirectorySource = z.infer<typeof directorySourceSchema>;

export const googleConnectionCheckSchema = z.object({ ok: z.literal(true), message: z.string() });

/** "Shows what will happen" before a switch of directory (seed 003). */
export const googleSwitchPreviewSchema = z.object({
  primaryDomain: z.string(),
  secondaryDomains: z.array(z.string()),
  usersInGoogle: z.number().int(),
  matched: z.number().int(),
  newUsers: z.number().int(),
  /** Users now in autoprov's directory that Google does not have: they will be marked deleted. */
  notInGoogle: z.number().int(),
  groups: z.number().int(),
  orgUnits: z.number().int(),
  /** Apps whose provisioning is paused by the switch, until an admin turns it on again. */
  appsPaused: z.array(z.string()),
});
export type GoogleSwitchPreview = z.infer<typeof googleSwitchPreviewSchema>;
