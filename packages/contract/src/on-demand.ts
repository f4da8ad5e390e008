import { z } from 'zod';
import { idSchema, isoDateSchema } from './common.js';
import { accountStates, deprovisionActions, deprovisionTriggers, userStatuses } from './enums.js';
import { syncRunSchema } from './apps.js';
import { reportResults } from './reports.js';

// E-20: one user provisioned on demand, with the plan for them and every SCIM exchange of the run.

export const onDemandInputSchema = z.object({ userId: idSchema });
export type OnDemandInput = z.infer<typeof onDemandInputSchema>;

/** What a run would do for the user, as the planner says it. */
export const onDemandActions = ['create', 'update', 'unsuspend', 'suspend', 'delete', 'start_timer', 'cancel_timer', 'nothing'] as const;
export type OnDemandAction = (typeof onDemandActions)[number];

/** One test of E-2 scope (or E-1 status) and how the user fares against it. */
export const scopeCheckSchema = z.object({
  rule: z.enum(['status', 'domain', 'org_unit', 'scope_group']),
  passed: z.boolean(),
  /** Says why, in the admin's words (e.g. "The app is OFF for /Sales (set on /Sales)"). */
  detail: z.string(),
});
export type ScopeCheck = z.infer<typeof scopeCheckSchema>;

export const onDemandPlanSchema = z.object({
  user: z.object({ id: z.string(), primaryEmail: z.string(), name: z.string().nullable(), status: z.enum(userStatuses), orgUnitPath: z.string() }),
  inScope: z.boolean(),
  checks: z.array(scopeCheckSchema),
  /** The app account autoprov links to the user, if any. */
  account: z.object({ userName: z.string(), remoteId: z.string(), state: z.enum(accountStates) }).nullable(),
  /** A deprovisioning delay running for the user. */
  timer: z.object({ trigger: z.enum(deprovisionTriggers), action: z.enum(deprovisionActions), dueAt: isoDateSchema }).nullable(),
  /** Each step a run would take for the user, in order; `nothing` alone when there is none. */
  actions: z.array(
    z.object({
      action: z.enum(onDemandActions),
      /** Field → before/after for what the app would be sent. */
      changes: z.record(z.string(), z.object({ before: z.string().nullable(), after: z.string().nullable() })).nullable(),
      detail: z.string(),
    }),
  ),
  /** Provisioning is active: a run can be started now. */
  canRun: z.boolean(),
  /** Why it cannot, when it cannot. */
  blockedBecause: z.string().nullable(),
});
export type OnDemandPlan = z.infer<typeof onDemandPlanSchema>;

/** One SCIM request and its answer, secrets masked. */
export const scimExchangeSchema = z.object({
  seq: z.number().int(),
  at: isoDateSchema,
  method: z.string(),
  url: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  requestBody: z.string().nullable(),
  /** null: no answer came (timeout, connection refused): see `error`. */
  status: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});
export type ScimExchange = z.infer<typeof scimExchangeSchema>;

export const onDemandRunSchema = z.object({
  run: syncRunSchema,
  userId: z.string().nullable(),
  exchanges: z.array(scimExchangeSchema),
  /** More exchanges happened than are kept (the cap per run). */
  truncated: z.boolean(),
  /** The report lines of the run (what was done for the user). */
  lines: z.array(z.object({ action: z.string(), result: z.enum(reportResults), reason: z.string().nullable() })),
});
export type OnDemandRun = z.infer<typeof onDemandRunSchema>;

export const onDemandStartedSchema = z.object({
  runId: z.string(),
  /** E-12: another run of the app is going on or waiting; this one starts after it. */
  queued: z.boolean(),
});
export type OnDemandStarted = z.infer<typeof onDemandStartedSchema>;
