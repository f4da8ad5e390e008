import { z } from 'zod';
import { directoryAttributes, type CatalogEntry, type CatalogLimits } from './catalog.js';
import { idSchema, isoDateSchema } from './common.js';
import {
  configurationStates,
  deprovisionActions,
  deprovisionDelays,
  nextRunReasons,
  escrowKinds,
  deprovisionTriggers,
  driftModes,
  syncRunStates,
  syncTriggers,
} from './enums.js';

/** The wizard's screens in order (SPEC §2); W-8 (activate) is on the app page. */
export const wizardSteps = ['prerequisite', 'authorize', 'endpoint', 'mapping', 'scope', 'deprovisioning', 'finish'] as const;
export type WizardStep = (typeof wizardSteps)[number];

const httpUrl = (message: string) => z.url({ protocol: /^https?$/, error: message });

const placeholder = /\{[^}]*\}/;

const pemBlock = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----$/;

/**
 * An X.509 certificate pasted as PEM (or as its bare base64 body), given back as PEM. Only its
 * shape is checked here, where the browser can; the server parses it (X509Certificate).
 */
export const pemCertificateSchema = z
  .string()
  .trim()
  .min(1, 'Paste the IdP certificate')
  .max(20_000, 'At most 20,000 characters')
  .transform((v, ctx) => {
    const body = (pemBlock.exec(v)?.[1] ?? (/^[A-Za-z0-9+/=\s]+$/.test(v) ? v : '')).replace(/\s+/g, '');
    // A DER certificate is a SEQUENCE with a long length: its base64 starts with "MI".
    if (!body.startsWith('MI') || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      ctx.addIssue({ code: 'custom', message: 'Paste one certificate in PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----' });
      return z.NEVER;
    }
    return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
  });

/** W-1: a simple "SSO configured" form with the IdP settings. */
export const ssoSettingsInputSchema = z.object({
  entityId: z.string().trim().min(1, 'Enter the entity ID the app gave you').max(500, 'At most 500 characters'),
  ssoUrl: z
    .string()
    .trim()
    .min(1, 'Enter the sign-in URL')
    .pipe(z.url({ protocol: /^https$/, error: 'Enter a full URL, starting with https://' })),
  certificate: pemCertificateSchema,
});
export type SsoSettingsInput = z.infer<typeof ssoSettingsInputSchema>;
export type SsoSettingsFormInput = z.input<typeof ssoSettingsInputSchema>;

/** App availability (SPEC §1): ON or OFF for one org unit; `inherit` removes its own setting. */
export const availabilityInputSchema = z.object({
  orgUnitId: idSchema,
  setting: z.enum(['on', 'off', 'inherit']),
});
export type AvailabilityInput = z.infer<typeof availabilityInputSchema>;

const endpointUrlSchema = z
  .string()
  .trim()
  .min(1, 'Enter the endpoint URL')
  .max(2000, 'At most 2,000 characters')
  .superRefine((value, ctx) => {
    const found = placeholder.exec(value);
    if (found) ctx.addIssue({ code: 'custom', message: `Replace ${found[0]} with your value (see the help below).`, abort: true });
  })
  .pipe(httpUrl('This is not a valid URL: it must start with https:// (or http:// on this machine)'));

/**
 * S-5: the SCIM endpoint a new authorization is for; the credential is sent to its origin
 * (scheme, host, port) and nowhere else. Empty only when the catalog fixes the app's address.
 */
const grantEndpointSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (value === '') return;
    const checked = endpointUrlSchema.safeParse(value);
    if (!checked.success) ctx.addIssue({ code: 'custom', message: checked.error.issues[0]?.message ?? 'Enter the endpoint URL' });
  })
  .optional();

/** W-2 for apps without a built-in OAuth client (custom): the admin's OAuth client. */
export const oauthClientInputSchema = z.object({
  authorizationUrl: z.string().trim().min(1, 'Enter the authorization URL').pipe(httpUrl('Enter a full URL, starting with https://')),
  tokenUrl: z.string().trim().min(1, 'Enter the token URL').pipe(httpUrl('Enter a full URL, starting with https://')),
  clientId: z.string().trim().min(1, 'Enter the client ID').max(500),
  clientSecret: z.string().trim().min(1, 'Enter the client secret').max(2000),
  scope: z.string().trim().max(500),
  endpointUrl: grantEndpointSchema,
});
export type OAuthClientInput = z.infer<typeof oauthClientInputSchema>;

export const startAuthorizationInputSchema = z.object({ client: oauthClientInputSchema.optional() });
export const startAuthorizationResultSchema = z.object({ authorizationUrl: z.string() });

/** W-2 alternative for apps that take a token (Workleap, custom). */
export const bearerTokenInputSchema = z.object({
  token: z.string().trim().min(1, 'Paste the token').max(8000, 'At most 8,000 characters'),
  endpointUrl: grantEndpointSchema,
});
export type BearerTokenInput = z.infer<typeof bearerTokenInputSchema>;

/** W-3: refuses an unreplaced placeholder and a malformed URL before anything is sent. */
export const endpointInputSchema = z.object({ endpointUrl: endpointUrlSchema });
export type EndpointInput = z.infer<typeof endpointInputSchema>;

const mappingRowSchema = z.object({ attribute: z.string(), source: z.string() });
/** The mapping's shape whatever the app; `mappingInputSchemaFor` adds the app's own rules. */
export const mappingInputSchema = z.object({ rows: z.array(mappingRowSchema) });
/** W-4: one directory user as the app would get them, for rows not saved yet. */
export const mappingPreviewInputSchema = z.object({ rows: z.array(mappingRowSchema), userId: idSchema.optional() });

/**
 * W-4: one row per app attribute. The catalog entry decides which rows are required (`*`), so
 * the console's form and the server validate with the same schema built for the app.
 */
export function mappingInputSchemaFor(entry: Pick<CatalogEntry, 'attributes'>) {
  return mappingInputSchema.superRefine(({ rows }, ctx) => {
    rows.forEach((row, i) => {
      const attribute = entry.attributes.find((a) => a.path === row.attribute);
      if (!attribute) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'attribute'], message: `${row.attribute} is not an attribute of this app` });
      } else if (row.source && !(row.source in directoryAttributes)) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'source'], message: 'Pick a directory attribute from the list' });
      } else if (attribute.required && !row.source) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'source'], message: `${attribute.label} is required: map it to a directory attribute` });
      }
    });
    for (const attribute of entry.attributes.filter((a) => a.required)) {
      if (!rows.some((r) => r.attribute === attribute.path)) {
        ctx.addIssue({ code: 'custom', path: ['rows'], message: `${attribute.label} is required` });
      }
    }
  });
}
export type MappingInput = z.infer<ReturnType<typeof mappingInputSchemaFor>>;

/**
 * W-5: the scope groups with their access level; the level must be one the app knows. For apps
 * that take groups (E-13), a group may also be sent as a team; several groups may share a team.
 */
export function scopeInputSchemaFor(entry: Pick<CatalogEntry, 'accessLevels' | 'takesGroups'>) {
  return z.object({
    groups: z
      .array(
        z.object({
          groupId: idSchema,
          accessLevel: z.string().refine((v) => entry.accessLevels.some((l) => l.value === v), 'Choose an access level'),
          teamName: z
            .string()
            .trim()
            .max(200, 'At most 200 characters')
            .refine((v) => v === '' || entry.takesGroups, 'This app does not take groups as teams')
            .default(''),
        }),
      )
      .max(200, 'At most 200 groups')
      .superRefine((groups, ctx) => {
        const seen = new Set<string>();
        groups.forEach((g, i) => {
          if (seen.has(g.groupId)) ctx.addIssue({ code: 'custom', path: [i, 'groupId'], message: 'This group is already in the scope' });
          seen.add(g.groupId);
        });
      }),
  });
}
export type ScopeInput = z.infer<ReturnType<typeof scopeInputSchemaFor>>;
/** The scope's shape whatever the app (any access level, teams allowed): the API's declared body. */
export const scopeInputSchema = z.object({
  groups: z.array(z.object({ groupId: idSchema, accessLevel: z.string(), teamName: z.string().default('') })).max(200),
});
export type ScopeFormInput = z.input<ReturnType<typeof scopeInputSchemaFor>>;

const deprovisionRuleSchema = z.object({ delay: z.enum(deprovisionDelays), action: z.enum(deprovisionActions) });

/** W-6: per trigger, a delay and an action. */
export const deprovisioningInputSchema = z.object({
  app_off: deprovisionRuleSchema,
  suspended: deprovisionRuleSchema,
  deleted: deprovisionRuleSchema,
});
export type DeprovisioningInput = z.infer<typeof deprovisioningInputSchema>;

export const defaultDeprovisioning: DeprovisioningInput = {
  app_off: { delay: 'next_sync', action: 'suspend' },
  suspended: { delay: 'next_sync', action: 'suspend' },
  deleted: { delay: 'next_sync', action: 'suspend' },
};

/** W-6: the rules a configuration runs by; one that never saved any takes the defaults. */
export const deprovisioningRulesOf = (saved: DeprovisioningInput | null): DeprovisioningInput => saved ?? defaultDeprovisioning;

export const wizardStepInputSchema = z.object({ step: z.enum(wizardSteps) });

/** W-8 and M-3: the switch. */
export const activationInputSchema = z.object({ active: z.boolean() });

export const syncNowInputSchema = z.object({ dryRun: z.boolean().default(false) });

// ---- answers ----

export const syncRunSchema = z.object({
  id: z.string(),
  trigger: z.enum(syncTriggers),
  state: z.enum(syncRunStates),
  dryRun: z.boolean(),
  requestedAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  endedAt: isoDateSchema.nullable(),
  planned: z.number().int(),
  done: z.number().int(),
  counts: z.record(z.string(), z.number()),
  error: z.string().nullable(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;

export const appSummarySchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  ssoConfigured: z.boolean(),
  /** `null`: provisioning has not been set up. */
  provisioningState: z.enum(configurationStates).nullable(),
  setupComplete: z.boolean(),
});
export type AppSummary = z.infer<typeof appSummarySchema>;
export const appListSchema = z.object({ items: z.array(appSummarySchema) });

export const availabilityRowSchema = z.object({
  orgUnitId: z.string(),
  path: z.string(),
  /** The unit's own setting, or null when it inherits. */
  own: z.enum(['on', 'off']).nullable(),
  effective: z.enum(['on', 'off']),
});

// ---- E-18: request limits ----

/** The bounds a super-admin's limits stay within: slower than one request every 100 s is no pace, faster than 1,000/s no app takes. */
export const requestLimitBounds = {
  ratePerSecond: { min: 0.01, max: 1000 },
  burst: { min: 1, max: 1000 },
  concurrency: { min: 1, max: 64 },
} as const;

const rateSchema = z
  .number({ error: 'Enter a number of requests per second' })
  .min(requestLimitBounds.ratePerSecond.min, `At least ${requestLimitBounds.ratePerSecond.min} (one request every 100 seconds)`)
  .max(requestLimitBounds.ratePerSecond.max, `At most ${requestLimitBounds.ratePerSecond.max} a second`);
const burstSchema = z
  .number({ error: 'Enter a number of requests' })
  .int('A whole number')
  .min(requestLimitBounds.burst.min, `At least ${requestLimitBounds.burst.min}`)
  .max(requestLimitBounds.burst.max, `At most ${requestLimitBounds.burst.max}`);
const concurrencySchema = z
  .number({ error: 'Enter a number of requests' })
  .int('A whole number')
  .min(requestLimitBounds.concurrency.min, `At least ${requestLimitBounds.concurrency.min}`)
  .max(requestLimitBounds.concurrency.max, `At most ${requestLimitBounds.concurrency.max}`);
/** `METHOD /Resource`, as a vendor counts it (`POST /Users`, `PATCH /Groups`). */
const operationNameSchema = z.string().regex(/^(GET|POST|PUT|PATCH|DELETE) \/[A-Za-z]+$/, 'An operation is a method and a resource, e.g. POST /Users');

/**
 * E-18: request limits as a super-admin sets them; the catalog's `CatalogLimits`, checked. Left
 * out, `perOperation` keeps the catalog's limits on some operations; `[]` removes them.
 */
export const requestLimitsSchema = z
  .object({
    ratePerSecond: rateSchema,
    burst: burstSchema,
    concurrency: concurrencySchema,
    perOperation: z
      .array(z.object({ operations: z.array(operationNameSchema).min(1, 'Name at least one operation').max(10), ratePerSecond: rateSchema, burst: burstSchema }))
      .max(20, 'At most 20 limits on operations')
      .optional(),
  })
  .superRefine((limits, ctx) => {
    const seen = new Set<string>();
    limits.perOperation?.forEach((limit, i) =>
      limit.operations.forEach((operation, j) => {
        if (seen.has(operation)) ctx.addIssue({ code: 'custom', path: ['perOperation', i, 'operations', j], message: `${operation} has a limit already` });
        seen.add(operation);
      }),
    );
  }) satisfies z.ZodType<CatalogLimits>;
export type RequestLimitsInput = z.input<typeof requestLimitsSchema>;

const catalogLimitsSchema = z.object({
  ratePerSecond: z.number(),
  burst: z.number(),
  concurrency: z.number(),
  perOperation: z.array(z.object({ operations: z.array(z.string()), ratePerSecond: z.number(), burst: z.number() })).optional(),
}) satisfies z.ZodType<CatalogLimits>;

/** E-18 on the app page: the catalog's limits, a super-admin's (null: none), and what paces requests. */
export const requestLimitsViewSchema = z.object({ override: catalogLimitsSchema.nullable(), effective: catalogLimitsSchema });
export type RequestLimitsView = z.infer<typeof requestLimitsViewSchema>;

const catalogEntrySchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  endpointTemplate: z.string().nullable(),
  endpointHelp: z.string(),
  authorization: z.enum(['oauth', 'oauth_or_bearer', 'bearer']),
  builtInOAuth: z.boolean(),
  attributes: z.array(z.object({ path: z.string(), label: z.string(), required: z.boolean(), defaultSource: z.string().nullable() })),
  accessLevels: z.array(z.object({ value: z.string(), label: z.string() })),
  defaultAccessLevel: z.string(),
  takesGroups: z.boolean(),
  /** The app's published limits and quirks in words (issue 15 item 3). */
  notes: z.array(z.string()),
  /** E-18: the limits the catalog gives the app, and the vendor's page they come from (null: not published). */
  limits: catalogLimitsSchema,
  limitsSource: z.string().nullable(),
});

/** E-17: a quarantined configuration, as its page shows it. */
export const quarantineSchema = z.object({
  since: isoDateSchema,
  reason: z.string(),
  lastErrors: z.array(z.object({ at: isoDateSchema, message: z.string() })),
  probes: z.number().int(),
  lastProbeAt: isoDateSchema.nullable(),
  nextProbeAt: isoDateSchema.nullable(),
});
export type Quarantine = z.infer<typeof quarantineSchema>;

/** E-16: one user's operation that failed and waits to be tried again. */
export const escrowedOperationSchema = z.object({
  userId: z.string(),
  userEmail: z.string(),
  operation: z.string(),
  kind: z.enum(escrowKinds),
  attempts: z.number().int(),
  lastError: z.string(),
  lastAttemptAt: isoDateSchema,
  /** Null: not tried again by the schedule (a refusal waits for the user's data to change). */
  nextAttemptAt: isoDateSchema.nullable(),
});
export type EscrowedOperation = z.infer<typeof escrowedOperationSchema>;

/** E-17 "Retry now": what the probe found. */
export const probeResultSchema = z.object({ ok: z.boolean(), message: z.string() });

export const configurationSchema = z.object({
  id: z.string(),
  state: z.enum(configurationStates),
  wizardStep: z.enum(wizardSteps),
  setupComplete: z.boolean(),
  authorization: z.enum(['oauth', 'bearer']).nullable(),
  /** Who last authorized autoprov in the app, and when (W-2, M-5). */
  authorizedBy: z.string().nullable(),
  authorizedAt: isoDateSchema.nullable(),
  /** S-5: the origin (scheme, host, port) the stored authorization is sent to, and no other. */
  authorizedOrigin: z.string().nullable(),
  endpointUrl: z.string().nullable(),
  mapping: z.record(z.string(), z.string()),
  scope: z.array(z.object({ groupId: z.string(), name: z.string(), email: z.string(), accessLevel: z.string(), teamName: z.string() })),
  deprovisioning: deprovisioningInputSchema,
  heldRun: syncRunSchema.nullable(),
  lastRun: syncRunSchema.nullable(),
  /** The run going on or waiting now, for "Sync now" progress (L-4). */
  currentRun: syncRunSchema.nullable(),
  nextRunAt: isoDateSchema.nullable(),
  /** Why the next run is then (or why there is none). */
  nextRunReason: z.enum(nextRunReasons),
  pendingTimers: z.number().int(),
  failuresLast24h: z.number().int(),
  accounts: z.number().int(),
  /** E-17: set while the app is quarantined: why, the last errors, and when it is tried again. */
  quarantine: quarantineSchema.nullable(),
  /** E-16: the users whose failed operation waits to be tried again (the first few). */
  escrow: z.object({ total: z.number().int(), items: z.array(escrowedOperationSchema) }),
  /** E-19: a reconciliation sets drifted accounts back, or only reports them. */
  driftMode: z.enum(driftModes),
  /** E-18: the limits a super-admin set (null: the catalog's), and the ones requests are paced by. */
  requestLimits: requestLimitsViewSchema,
});
export type Configuration = z.infer<typeof configurationSchema>;

/** E-19: the drift setting as a super-admin chooses it. */
export const driftModeInputSchema = z.object({ mode: z.enum(driftModes) });
export type DriftModeInput = z.infer<typeof driftModeInputSchema>;

export const appDetailSchema = z.object({
  app: catalogEntrySchema,
  /** What was saved (read as stored: older settings may predate today's checks). */
  sso: z.object({ entityId: z.string(), ssoUrl: z.string(), certificate: z.string(), updatedAt: isoDateSchema }).nullable(),
  availability: z.array(availabilityRowSchema),
  configuration: configurationSchema.nullable(),
  audit: z.array(z.object({ id: z.number(), adminLabel: z.string(), action: z.string(), detail: z.string().nullable(), at: isoDateSchema })),
});
export type AppDetail = z.infer<typeof appDetailSchema>;

export const endpointCheckSchema = z.object({ ok: z.literal(true), message: z.string() });

/** W-4 preview: what one real directory user would become in the app. */
export const mappingPreviewSchema = z.object({
  user: z.object({ id: z.string(), primaryEmail: z.string() }).nullable(),
  attributes: z.array(z.object({ attribute: z.string(), label: z.string(), value: z.string().nullable() })),
});

export const syncRunStartedSchema = z.object({ runId: z.string() });

export const deprovisionTriggerLabels: Record<(typeof deprovisionTriggers)[number], string> = {
  app_off: 'When the app is turned off for a user',
  suspended: 'When a user is suspended in the directory',
  deleted: 'When a user is deleted from the directory',
};

// ---- M-6: impact first ----

/** A person an action concerns: their e-mail address and, when the directory has it, their name. */
const impactPersonSchema = z.object({ email: z.string(), name: z.string().nullable() });

/** How many people, and the first of them (long lists are cut; `count` is the whole). */
const impactListOf = <T extends z.ZodRawShape>(shape: T) => z.object({ count: z.number().int(), users: z.array(impactPersonSchema.extend(shape)) });

/** At most this many people are listed per kind of change; the count says how many more there are. */
export const impactListCap = 50;

/**
 * M-6: what a change of settings would do to live accounts, computed by the dry run's planner
 * with the settings as they are and as proposed. Times are when a timer fires; a time at or
 * before `now` fires at the next sync.
 */
export const impactSchema = z.object({
  now: isoDateSchema,
  /** Whether provisioning is on: otherwise the impact happens when it is turned on. */
  active: z.boolean(),
  provisioned: impactListOf({ reactivated: z.boolean() }),
  deprovisioned: impactListOf({ trigger: z.enum(deprovisionTriggers), action: z.enum(deprovisionActions), at: isoDateSchema }),
  accessLevelChanged: impactListOf({ from: z.string().nullable(), to: z.string().nullable() }),
  timersMoved: impactListOf({ action: z.enum(deprovisionActions), from: isoDateSchema, to: isoDateSchema }),
  timersCancelled: impactListOf({ dueAt: isoDateSchema }),
});
export type Impact = z.infer<typeof impactSchema>;

/** M-6 and M-4: what deleting the configuration leaves behind. */
export const deletionImpactSchema = z.object({
  now: isoDateSchema,
  active: z.boolean(),
  accounts: z.number().int(),
  /** Users waiting for a deprovisioning delay: after the deletion they keep their access. */
  pendingTimers: impactListOf({ trigger: z.enum(deprovisionTriggers), action: z.enum(deprovisionActions), at: isoDateSchema }),
  runs: z.number().int(),
});
export type DeletionImpact = z.infer<typeof deletionImpactSchema>;

/**
 * M-6 for the drift setting (E-19): the accounts a switch to "correct" would set back at the next
 * reconciliation, as the last reconciliation found them drifted (only reported). A switch to
 * "report only" changes no account.
 */
export const driftImpactSchema = z.object({
  /** When the drift was seen; null before the first reconciliation. */
  seenAt: isoDateSchema.nullable(),
  accounts: z.object({
    count: z.number().int(),
    users: z.array(z.object({ email: z.string(), changes: z.record(z.string(), z.object({ before: z.string().nullable(), after: z.string().nullable() })) })),
  }),
});
export type DriftImpact = z.infer<typeof driftImpactSchema>;
