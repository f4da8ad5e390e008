import { z } from 'zod';
import { isoDateSchema } from './common.js';
import { syncRunSchema } from './apps.js';
import type { CatalogEntry } from './catalog.js';
import { usageEventKinds, type DeprovisionTrigger } from './enums.js';

/** L-1's events, as seed 000 names them (and "User adopted" for an existing account taken over, E-3). */
export const usageEventLabels: Record<(typeof usageEventKinds)[number], string> = {
  user_created: 'User created',
  user_adopted: 'User adopted',
  user_updated: 'User updated',
  user_suspended: 'User suspended',
  user_unsuspended: 'User unsuspended',
  user_deleted: 'User deleted',
  failure: 'Failures',
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-24')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'This is not a date');

/** A form's empty field (or an absent query parameter) means "no filter". */
const unset = <T>(v: T | '' | undefined): T | undefined => (v === '' ? undefined : v);

/** L-1 filters; the same object drives the page, the counts, the chart and the CSV export. */
export const usageLogFilterSchema = z
  .object({
    kind: z.enum(['', ...usageEventKinds]).optional().transform(unset),
    app: z.string().max(64).optional().transform(unset),
    /** The start of the user's e-mail address, case ignored. */
    user: z.string().trim().toLowerCase().max(254, 'At most 254 characters').optional().transform(unset),
    /** Inclusive days (UTC). */
    from: z.union([z.literal(''), day]).optional().transform(unset),
    to: z.union([z.literal(''), day]).optional().transform(unset),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'The end date is before the start date' });
export type UsageLogFilter = z.infer<typeof usageLogFilterSchema>;
export type UsageLogFilterInput = z.input<typeof usageLogFilterSchema>;

export const pageSizeSchema = z.coerce.number().int().min(1).max(200).default(50);

export const usageLogQuerySchema = z.intersection(usageLogFilterSchema, z.object({ cursor: z.string().max(100).optional(), pageSize: pageSizeSchema }));

export const usageEventSchema = z.object({
  id: z.number().int(),
  occurredAt: isoDateSchema,
  appKey: z.string(),
  appName: z.string(),
  kind: z.enum(usageEventKinds),
  userEmail: z.string().nullable(),
  runId: z.string().nullable(),
  detail: z.string().nullable(),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

/** Keyset paging: `nextCursor` is null on the last page. */
export const usageLogPageSchema = z.object({ items: z.array(usageEventSchema), nextCursor: z.string().nullable() });

export const usageLogSummarySchema = z.object({
  counts: z.record(z.enum(usageEventKinds), z.number().int()),
  /** One entry per day of the range, oldest first, days without events included. */
  perDay: z.array(z.object({ day: z.string(), counts: z.record(z.enum(usageEventKinds), z.number().int()) })),
  from: z.string(),
  to: z.string(),
});
export type UsageLogSummary = z.infer<typeof usageLogSummarySchema>;

export const syncRunPageSchema = z.object({ items: z.array(syncRunSchema), nextCursor: z.string().nullable() });

/** `reported`: seen and written down, nothing sent (E-19 drift in report-only mode, accounts not managed). */
export const reportResults = ['succeeded', 'failed', 'planned', 'reported'] as const;
export const reportActions = ['create', 'adopt', 'update', 'suspend', 'unsuspend', 'delete', 'team', 'drift_corrected', 'drift_found', 'not_managed'] as const;

export const reportFilterSchema = z.object({
  result: z.enum(['', ...reportResults]).optional().transform(unset),
  action: z.enum(['', ...reportActions]).optional().transform(unset),
  /** Part of the user's e-mail address (or of a team's name), case ignored. */
  user: z.string().trim().toLowerCase().max(254, 'At most 254 characters').optional().transform(unset),
});
export type ReportFilter = z.infer<typeof reportFilterSchema>;
export type ReportFilterInput = z.input<typeof reportFilterSchema>;
/** `cursor` names a page: the lines after (or before) one line, in the report's order. */
export const reportQuerySchema = z.intersection(reportFilterSchema, z.object({ cursor: z.string().max(600).optional(), pageSize: pageSizeSchema }));

export const reportLineSchema = z.object({
  id: z.number().int(),
  userEmail: z.string(),
  action: z.string(),
  result: z.enum(reportResults),
  changes: z.record(z.string(), z.object({ before: z.string().nullable(), after: z.string().nullable() })).nullable(),
  reason: z.string().nullable(),
  /** E-16: a failed operation's attempt number, and when it is tried again (null: not by the schedule). */
  attempt: z.number().int().nullable().default(null),
  nextAttemptAt: isoDateSchema.nullable().default(null),
});
export type ReportLine = z.infer<typeof reportLineSchema>;

/** Lines are in a stable order: by user e-mail, then in the order they were written. */
export const reportPageSchema = z.object({
  run: syncRunSchema,
  items: z.array(reportLineSchema),
  nextCursor: z.string().nullable(),
  prevCursor: z.string().nullable(),
  /** Lines matching the filter, and how many of them come before this page. */
  matching: z.number().int(),
  offset: z.number().int(),
  /** Lines per result for the whole run, whatever the filter. */
  totals: z.record(z.string(), z.number().int()),
});
export type ReportPage = z.infer<typeof reportPageSchema>;

export const reportResultLabels: Record<(typeof reportResults)[number], string> = { succeeded: 'Succeeded', failed: 'Failed', planned: 'Planned (dry run)', reported: 'Reported only' };

export const reportActionLabels: Record<(typeof reportActions)[number], string> = {
  create: 'Created',
  adopt: 'Adopted (existing account)',
  update: 'Updated',
  suspend: 'Suspended',
  unsuspend: 'Unsuspended',
  delete: 'Deleted',
  team: 'Team membership',
  drift_corrected: 'Drift corrected',
  drift_found: 'Drift found (report only)',
  not_managed: 'Not managed by autoprov',
};

/** Report fields that are not app attributes: what the engine sends besides the mapping. */
const extraFieldLabels: Record<string, string> = { accessLevel: 'Access level', active: 'Account active', members: 'Team members' };

/**
 * How a report names a changed field: the catalog's label for the app attribute (its SCIM path
 * as secondary text), and values as the catalog words them (access levels).
 */
export function reportField(entry: Pick<CatalogEntry, 'attributes' | 'accessLevels'> | undefined, field: string) {
  const attribute = entry?.attributes.find((a) => a.path === field);
  const label = attribute?.label ?? extraFieldLabels[field] ?? field;
  const value = (v: string | null): string | null => {
    if (v === null) return null;
    if (field === 'accessLevel') return entry?.accessLevels.find((l) => l.value === v)?.label ?? v;
    if (field === 'active') return v === 'true' ? 'Yes' : v === 'false' ? 'No' : v;
    return v;
  };
  return { label, path: attribute ? field : null, value };
}

/** W-6 triggers as a report line explains them. */
export const deprovisionReasons: Record<DeprovisionTrigger, string> = {
  app_off: 'The app is turned off for this user, or the user left the provisioning scope',
  suspended: 'The user is suspended in the directory',
  deleted: 'The user was deleted from the directory',
};

/** M-4, M-6: a deleted configuration whose sync history and reports are kept. */
export const deletedConfigurationSchema = z.object({
  id: z.string(),
  appKey: z.string(),
  appName: z.string(),
  createdAt: isoDateSchema,
  deletedAt: isoDateSchema,
  runs: z.number().int(),
});
export type DeletedConfiguration = z.infer<typeof deletedConfigurationSchema>;
export const deletedConfigurationListSchema = z.object({ items: z.array(deletedConfigurationSchema) });
