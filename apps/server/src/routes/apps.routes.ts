import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  activationInputSchema,
  AppError,
  availabilityInputSchema,
  bearerTokenInputSchema,
  endpointInputSchema,
  idSchema,
  mappingInputSchemaFor,
  scopeInputSchemaFor,
  ssoSettingsInputSchema,
  startAuthorizationInputSchema,
  syncNowInputSchema,
  deprovisioningInputSchema,
  driftModeInputSchema,
  onDemandInputSchema,
  wizardStepInputSchema,
  pageSizeSchema,
  reportActionLabels,
  reportFilterSchema,
  reportResultLabels,
  reportQuerySchema,
  type SyncTrigger,
} from '@autoprov/contract';
import type { Actor } from '@autoprov/directory';
import { ssoSettings, type ConfigurationRow } from '@autoprov/db';
import { eq } from 'drizzle-orm';
import { stream } from 'hono/streaming';
import { requireAdmin } from '../auth/middleware.js';
import { checkIdpCertificate } from '../provisioning/idp-certificate.js';
import { csvLine, UTF8_BOM } from '../reports/csv.js';
import { changesText, finishedRun, reportPage, reportRows, syncRunPage } from '../reports/sync-runs.js';
import { validate } from '../lib/validate.js';
import { validationError } from '../lib/errors.js';
import type { ServerDeps } from '../deps.js';
import type { AppEnv, CurrentSession } from '../types.js';
import { authorizationOf, startAuthorization, storeBearerToken } from '../provisioning/authorization.js';
import { appDetail, findConfiguration, getRun, listApps, requireConfiguration } from '../provisioning/views.js';
import { requireEntry } from '../provisioning/catalog.js';
import { saveSso, setAvailability } from '../provisioning/app-settings.js';
import { draftFor, finishSetup, reachStep, saveDeprovisioning, saveEndpoint, saveMapping, saveScope } from '../provisioning/wizard.js';
import { deleteConfiguration, setActive, setDriftMode } from '../provisioning/lifecycle.js';
import { audit } from '../provisioning/audit-trail.js';
import { checkEndpoint } from '../provisioning/endpoint-check.js';
import { mappingPreview } from '../provisioning/mapping-preview.js';
import * as impact from '../provisioning/impact.js';
import * as onDemand from '../provisioning/on-demand.js';

const keyParam = validate('param', z.object({ key: z.string().min(1).max(64) }));
const runParam = validate('param', z.object({ key: z.string().min(1).max(64), runId: idSchema }));

const actorOf = (session: CurrentSession | null): Actor => ({ adminId: session?.admin.id ?? null, label: session?.admin.email ?? 'unknown' });

/** A schema built for the app (its attributes, its access levels) cannot sit in the route's validator. */
async function bodyMatching<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const body: unknown = await c.req.json().catch(() => {
    throw new AppError('validation_failed', 'The request body is not JSON.');
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function appsRoutes(deps: ServerDeps) {
  const { db } = deps;
  const authorization = (row: ConfigurationRow) => authorizationOf(deps, row);
  const detail = (key: string) => appDetail(deps, key, authorization);
  /** The app's provisioning configuration, or 404 (for an unknown app too). */
  const configurationOf = (key: string) => {
    requireEntry(deps.apps, key);
    return requireConfiguration(db, key);
  };
  const rerunIfActive = (key: string, trigger: SyncTrigger) => {
    const row = findConfiguration(db, key);
    if (row?.state === 'active') deps.provisioning.requestRun(row.id, trigger);
  };

  return (
    new Hono<AppEnv>()
      .use(requireAdmin)
      .get('/', (c) => c.json({ items: listApps(deps) }))
      .get('/:key', keyParam, (c) => c.json(detail(c.req.valid('param').key)))

      // W-1 and SPEC §1 availability
      .put('/:key/sso', keyParam, validate('json', ssoSettingsInputSchema), (c) => {
        const { key } = c.req.valid('param');
        requireEntry(deps.apps, key);
        const input = c.req.valid('json');
        checkIdpCertificate(input.certificate, deps.clock.now());
        saveSso(deps, key, input, actorOf(c.var.session));
        return c.json(detail(key));
      })
      .put('/:key/availability', keyParam, validate('json', availabilityInputSchema), (c) => {
        const { key } = c.req.valid('param');
        requireEntry(deps.apps, key);
        setAvailability(deps, key, c.req.valid('json'), actorOf(c.var.session));
        // Turning the app off for a unit starts deprovisioning timers at once (W-6).
        rerunIfActive(key, 'availability_change');
        return c.json(detail(key));
      })

      // M-6: what the change would do, before it is made.
      .post('/:key/availability/preview', keyParam, validate('json', availabilityInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        requireEntry(deps.apps, key);
        const row = findConfiguration(db, key);
        return c.json(row?.setupCompletedAt ? await impact.availabilityImpact(deps, row, c.req.valid('json')) : impact.noImpact(deps));
      })

      // The wizard (SPEC §2): a draft made on first use, each step saved on Continue.
      .post('/:key/configuration', keyParam, (c) => {
        const { key } = c.req.valid('param');
        requireEntry(deps.apps, key);
        if (!db.select().from(ssoSettings).where(eq(ssoSettings.appKey, key)).get()) throw new AppError('conflict', 'Set up SSO for this app first (W-1).');
        draftFor(deps, key, actorOf(c.var.session));
        return c.json(detail(key), 201);
      })
      .put('/:key/configuration/step', keyParam, validate('json', wizardStepInputSchema), (c) => {
        const { key } = c.req.valid('param');
        reachStep(deps, configurationOf(key), c.req.valid('json').step);
        return c.json(detail(key));
      })
      .post('/:key/configuration/authorization', keyParam, validate('json', startAuthorizationInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        const authorizationUrl = await startAuthorization(deps, configurationOf(key), c.var.session!.admin.id, c.req.valid('json').client);
        return c.json({ authorizationUrl });
      })
      .put('/:key/configuration/bearer-token', keyParam, validate('json', bearerTokenInputSchema), (c) => {
        const { key } = c.req.valid('param');
        storeBearerToken(deps, configurationOf(key), c.req.valid('json'), actorOf(c.var.session));
        return c.json(detail(key));
      })
      .post('/:key/configuration/endpoint/check', keyParam, validate('json', endpointInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        return c.json(await checkEndpoint(deps, configurationOf(key), requireEntry(deps.apps, key), c.req.valid('json').endpointUrl));
      })
      .put('/:key/configuration/endpoint', keyParam, validate('json', endpointInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        const { endpointUrl } = c.req.valid('json');
        // W-3: an endpoint that does not answer as a SCIM service is refused, not saved.
        await checkEndpoint(deps, row, requireEntry(deps.apps, key), endpointUrl);
        saveEndpoint(deps, row, { endpointUrl }, actorOf(c.var.session));
        reachStep(deps, row, 'mapping');
        return c.json(detail(key));
      })
      .put('/:key/configuration/mapping', keyParam, async (c) => {
        const { key } = c.req.valid('param');
        const entry = requireEntry(deps.apps, key);
        const row = configurationOf(key);
        saveMapping(deps, row, await bodyMatching(c, mappingInputSchemaFor(entry)), actorOf(c.var.session));
        reachStep(deps, row, 'scope');
        return c.json(detail(key));
      })
      .post('/:key/configuration/mapping/preview', keyParam, async (c) => {
        const { key } = c.req.valid('param');
        const entry = requireEntry(deps.apps, key);
        const input = await bodyMatching(c, z.object({ rows: z.array(z.object({ attribute: z.string(), source: z.string() })), userId: idSchema.optional() }));
        return c.json(mappingPreview(deps, entry, input.rows, input.userId));
      })
      .put('/:key/configuration/scope', keyParam, async (c) => {
        const { key } = c.req.valid('param');
        const entry = requireEntry(deps.apps, key);
        const row = configurationOf(key);
        saveScope(deps, row, await bodyMatching(c, scopeInputSchemaFor(entry)), actorOf(c.var.session));
        reachStep(deps, row, 'deprovisioning');
        rerunIfActive(key, 'scope_change');
        return c.json(detail(key));
      })
      .post('/:key/configuration/scope/preview', keyParam, async (c) => {
        const { key } = c.req.valid('param');
        const entry = requireEntry(deps.apps, key);
        return c.json(await impact.scopeImpact(deps, configurationOf(key), await bodyMatching(c, scopeInputSchemaFor(entry))));
      })
      .put('/:key/configuration/deprovisioning', keyParam, validate('json', deprovisioningInputSchema), (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        saveDeprovisioning(deps, row, c.req.valid('json'), actorOf(c.var.session));
        reachStep(deps, row, 'finish');
        // M-2: running timers move to the new delays at once, not at the next daily run.
        rerunIfActive(key, 'deprovisioning_change');
        return c.json(detail(key));
      })
      .post('/:key/configuration/deprovisioning/preview', keyParam, validate('json', deprovisioningInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        return c.json(await impact.deprovisioningImpact(deps, configurationOf(key), c.req.valid('json')));
      })
      .post('/:key/configuration/finish', keyParam, (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        finishSetup(deps, row, requireEntry(deps.apps, key), authorization(row) !== null, actorOf(c.var.session));
        return c.json(detail(key));
      })

      // W-8, M-3, M-4
      .put('/:key/configuration/activation', keyParam, validate('json', activationInputSchema), (c) => {
        const { key } = c.req.valid('param');
        const { active } = c.req.valid('json');
        const row = setActive(deps, configurationOf(key), active, actorOf(c.var.session));
        // The first pass starts now rather than at the scheduler's next look.
        if (active && row.state === 'active') deps.provisioning.requestRun(row.id, 'activation');
        return c.json(detail(key));
      })
      .get('/:key/configuration/deletion-impact', keyParam, async (c) => c.json(await impact.deletionImpact(deps, configurationOf(c.req.valid('param').key))))
      // M-6: the deprovisionings still waiting are carried out now (before a deletion would drop them).
      .post('/:key/configuration/timers/carry-out', keyParam, (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        if (row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: turn it on to carry out the pending deprovisioning.');
        if (row.heldRunId) throw new AppError('conflict', 'A run is held by the deletion guard: allow or cancel it first.');
        const runId = deps.provisioning.requestRun(row.id, 'manual', { carryOutTimers: true });
        audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Pending deprovisioning carried out', 'Every user waiting for a deprovisioning delay is suspended or deleted now.');
        return c.json({ runId }, 202);
      })
      .delete('/:key/configuration', keyParam, (c) => {
        const { key } = c.req.valid('param');
        deleteConfiguration(deps, configurationOf(key), actorOf(c.var.session));
        return c.json(detail(key));
      })

      // L-4 and E-14, E-15
      .post('/:key/configuration/sync', keyParam, validate('json', syncNowInputSchema), (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        const { dryRun } = c.req.valid('json');
        if (!row.setupCompletedAt) throw new AppError('conflict', 'Finish the setup before syncing.');
        if (row.state === 'needs_reauthorization') throw new AppError('conflict', 'Re-authorize autoprov first: the app no longer accepts its authorization.');
        if (!dryRun && row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: activate it first, or ask for a dry run.');
        if (!dryRun && row.heldRunId) throw new AppError('conflict', 'A run is held by the deletion guard: allow or cancel it first.');
        return c.json({ runId: deps.provisioning.requestRun(row.id, 'manual', { dryRun }) }, 202);
      })
      // E-19: a reconciliation now (a full run that also reads what the app holds), and its setting.
      .post('/:key/configuration/reconcile', keyParam, (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        if (row.state === 'needs_reauthorization') throw new AppError('conflict', 'Re-authorize autoprov first: the app no longer accepts its authorization.');
        if (row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: activate it first.');
        if (row.heldRunId) throw new AppError('conflict', 'A run is held by the deletion guard: allow or cancel it first.');
        const runId = deps.provisioning.requestRun(row.id, 'reconcile');
        const what = row.driftMode === 'correct' ? 'Accounts changed in the app are set back.' : 'Drift is reported only.';
        audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Reconciliation started', what);
        return c.json({ runId }, 202);
      })
      .post('/:key/configuration/drift/preview', keyParam, validate('json', driftModeInputSchema), (c) => {
        const { key } = c.req.valid('param');
        return c.json(impact.driftImpact(deps, configurationOf(key), c.req.valid('json')));
      })
      .put('/:key/configuration/drift', keyParam, validate('json', driftModeInputSchema), (c) => {
        const { key } = c.req.valid('param');
        setDriftMode(deps, configurationOf(key), c.req.valid('json').mode, actorOf(c.var.session));
        return c.json(detail(key));
      })
      .get('/:key/configuration/runs', keyParam, validate('query', z.object({ cursor: z.string().max(100).optional(), pageSize: pageSizeSchema })), (c) => {
        const { key } = c.req.valid('param');
        const { cursor, pageSize } = c.req.valid('query');
        return c.json(syncRunPage(db, configurationOf(key).id, cursor, pageSize));
      })
      .get('/:key/configuration/runs/:runId', runParam, (c) => {
        const { key, runId } = c.req.valid('param');
        return c.json(getRun(db, configurationOf(key).id, runId));
      })
      // L-3: the report of a run that is over, filtered by result and kind of change.
      .get('/:key/configuration/runs/:runId/report', runParam, validate('query', reportQuerySchema), (c) => {
        const { key, runId } = c.req.valid('param');
        const { cursor, pageSize, ...filter } = c.req.valid('query');
        return c.json(reportPage(db, finishedRun(db, configurationOf(key).id, runId), filter, cursor, pageSize));
      })
      .get('/:key/configuration/runs/:runId/report.csv', runParam, validate('query', reportFilterSchema), (c) => {
        const { key, runId } = c.req.valid('param');
        const run = finishedRun(db, configurationOf(key).id, runId);
        const entry = requireEntry(deps.apps, key);
        const filter = c.req.valid('query');
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="sync-report-${key}-${run.requestedAt.toISOString().slice(0, 19).replace(/:/g, '')}.csv"`);
        c.header('Cache-Control', 'no-store');
        return stream(c, async (out) => {
          await out.write(UTF8_BOM + csvLine(['User', 'Action', 'Result', 'Changes', 'Reason']));
          const action = (a: string) => reportActionLabels[a as keyof typeof reportActionLabels] ?? a;
          for (const rows of reportRows(db, run.id, filter)) {
            if (out.aborted) return;
            await out.write(rows.map((r) => csvLine([r.userEmail, action(r.action), reportResultLabels[r.result], changesText(r.changes, entry), r.reason])).join(''));
          }
        });
      })
      // E-20: one user on demand: the plan and why (a read, open to read-only admins), then the run.
      .get('/:key/configuration/on-demand', keyParam, validate('query', onDemandInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        return c.json(await onDemand.userPlan(deps, configurationOf(key), c.req.valid('query').userId));
      })
      .post('/:key/configuration/on-demand/run', keyParam, validate('json', onDemandInputSchema), async (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        const blocked = onDemand.blockedBecause(row);
        if (blocked) throw new AppError('conflict', blocked);
        const { userId } = c.req.valid('json');
        // The user must exist: a run for nobody would say nothing.
        const plan = await onDemand.userPlan(deps, row, userId);
        const started = deps.provisioning.requestUserRun(row.id, userId);
        audit(db, deps.clock.now(), key, actorOf(c.var.session), 'User provisioned on demand', plan.user.primaryEmail);
        return c.json(started, 202);
      })
      .get('/:key/configuration/on-demand/runs/:runId', runParam, (c) => {
        const { key, runId } = c.req.valid('param');
        return c.json(onDemand.onDemandRun(deps, configurationOf(key), runId));
      })
      .post('/:key/configuration/held-run/allow', keyParam, (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        const runId = deps.provisioning.allowHeldRun(row.id);
        if (!runId) throw new AppError('conflict', 'No run is held for this app.');
        audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Held run allowed', 'The run goes ahead with the suspensions and deletions it planned.');
        return c.json({ runId }, 202);
      })
      .post('/:key/configuration/held-run/cancel', keyParam, (c) => {
        const { key } = c.req.valid('param');
        const row = configurationOf(key);
        if (!deps.provisioning.cancelHeldRun(row.id, c.var.session!.admin.email)) throw new AppError('conflict', 'No run is held for this app.');
        audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Held run cancelled', 'Provisioning was disabled; nothing was deprovisioned.');
        return c.json(detail(key));
      })
  );
}
