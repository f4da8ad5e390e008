import { Hono } from 'hono';
import type { z } from 'zod';
import { AppError, mappingInputSchemaFor, reportActionLabels, reportResultLabels, routes, scopeInputSchemaFor, type SyncTrigger } from '@autoprov/contract';
import type { Actor } from '@autoprov/directory';
import { ssoSettings, type ConfigurationRow } from '@autoprov/db';
import { healthOf, loadEscrow } from '@autoprov/engine';
import { eq } from 'drizzle-orm';
import { stream } from 'hono/streaming';
import { requireAdmin } from '../auth/middleware.js';
import { checkIdpCertificate } from '../provisioning/idp-certificate.js';
import { csvLine, UTF8_BOM } from '../reports/csv.js';
import { changesText, finishedRun, reportPage, reportRows, syncRunPage } from '../reports/sync-runs.js';
import { routesOn } from '../lib/route.js';
import { validationError } from '../lib/errors.js';
import type { ServerDeps } from '../deps.js';
import type { AppEnv, CurrentSession } from '../types.js';
import { authorizationOf, startAuthorization, storeBearerToken } from '../provisioning/authorization.js';
import { appDetail, findConfiguration, getRun, listApps, requireConfiguration } from '../provisioning/views.js';
import { requireEntry } from '../provisioning/catalog.js';
import { saveSso, setAvailability } from '../provisioning/app-settings.js';
import { draftFor, finishSetup, reachStep, saveDeprovisioning, saveEndpoint, saveMapping, saveScope } from '../provisioning/wizard.js';
import { deleteConfiguration, setActive, setDriftMode, setRequestLimits } from '../provisioning/lifecycle.js';
import { audit } from '../provisioning/audit-trail.js';
import { checkEndpoint } from '../provisioning/endpoint-check.js';
import { mappingPreview } from '../provisioning/mapping-preview.js';
import * as impact from '../provisioning/impact.js';
import * as onDemand from '../provisioning/on-demand.js';

const actorOf = (session: CurrentSession | null): Actor => ({ adminId: session?.admin.id ?? null, label: session?.admin.email ?? 'unknown' });

/** The table's body has the shape any app accepts; the rules of this app's catalog entry are checked here. */
function matching<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function appsRoutes(deps: ServerDeps) {
  const { db } = deps;
  const authorization = (row: ConfigurationRow) => authorizationOf(deps, row);
  const detail = async (key: string) => await appDetail(deps, key, authorization);
  /** The app's provisioning configuration, or 404 (for an unknown app too). */
  const configurationOf = async (key: string) => {
    requireEntry(deps.apps, key);
    return await requireConfiguration(db, key);
  };
  const rerunIfActive = async (key: string, trigger: SyncTrigger) => {
    const row = await findConfiguration(db, key);
    if (row?.state === 'active') await deps.provisioning.requestRun(row.id, trigger);
  };

  const router = new Hono<AppEnv>().use(requireAdmin);
  const on = routesOn(router, '/api/apps');

  on(routes.listApps, async () => ({ items: await listApps(deps) }));
  on(routes.app, async (_c, { params }) => await detail(params.key));

  // W-1 and SPEC §1 availability
  on(routes.saveSso, async (c, { params: { key }, body }) => {
    requireEntry(deps.apps, key);
    checkIdpCertificate(body.certificate, deps.clock.now());
    await saveSso(deps, key, body, actorOf(c.var.session));
    return await detail(key);
  });
  on(routes.saveAvailability, async (c, { params: { key }, body }) => {
    requireEntry(deps.apps, key);
    await setAvailability(deps, key, body, actorOf(c.var.session));
    // Turning the app off for a unit starts deprovisioning timers at once (W-6).
    await rerunIfActive(key, 'availability_change');
    return await detail(key);
  });

  // M-6: what the change would do, before it is made.
  on(routes.previewAvailability, async (_c, { params: { key }, body }) => {
    requireEntry(deps.apps, key);
    const row = await findConfiguration(db, key);
    return row?.setupCompletedAt ? await impact.availabilityImpact(deps, row, body) : impact.noImpact(deps);
  });

  // The wizard (SPEC §2): a draft made on first use, each step saved on Continue.
  on(routes.startSetup, async (c, { params: { key } }) => {
    requireEntry(deps.apps, key);
    if (!(await db.select().from(ssoSettings).where(eq(ssoSettings.appKey, key)).limit(1))[0]) throw new AppError('conflict', 'Set up SSO for this app first (W-1).');
    await draftFor(deps, key, actorOf(c.var.session));
    return await detail(key);
  });
  on(routes.reachStep, async (_c, { params: { key }, body }) => {
    await reachStep(deps, await configurationOf(key), body.step);
    return await detail(key);
  });
  on(routes.startAuthorization, async (c, { params: { key }, body }) => {
    const authorizationUrl = await startAuthorization(deps, await configurationOf(key), c.var.session!.admin.id, body.client);
    return { authorizationUrl };
  });
  on(routes.saveBearerToken, async (c, { params: { key }, body }) => {
    await storeBearerToken(deps, await configurationOf(key), body, actorOf(c.var.session));
    return await detail(key);
  });
  on(routes.checkEndpoint, async (_c, { params: { key }, body }) =>
    checkEndpoint(deps, await configurationOf(key), requireEntry(deps.apps, key), body.endpointUrl),
  );
  on(routes.saveEndpoint, async (c, { params: { key }, body: { endpointUrl } }) => {
    const row = await configurationOf(key);
    // W-3: an endpoint that does not answer as a SCIM service is refused, not saved.
    await checkEndpoint(deps, row, requireEntry(deps.apps, key), endpointUrl);
    await saveEndpoint(deps, row, { endpointUrl }, actorOf(c.var.session));
    await reachStep(deps, row, 'mapping');
    return await detail(key);
  });
  on(routes.saveMapping, async (c, { params: { key }, body }) => {
    const entry = requireEntry(deps.apps, key);
    const row = await configurationOf(key);
    await saveMapping(deps, row, matching(mappingInputSchemaFor(entry), body), actorOf(c.var.session));
    await reachStep(deps, row, 'scope');
    return await detail(key);
  });
  on(routes.previewMapping, async (_c, { params: { key }, body }) => {
    const entry = requireEntry(deps.apps, key);
    return await mappingPreview(deps, entry, body.rows, body.userId);
  });
  on(routes.saveScope, async (c, { params: { key }, body }) => {
    const entry = requireEntry(deps.apps, key);
    const row = await configurationOf(key);
    await saveScope(deps, row, matching(scopeInputSchemaFor(entry), body), actorOf(c.var.session));
    await reachStep(deps, row, 'deprovisioning');
    await rerunIfActive(key, 'scope_change');
    return await detail(key);
  });
  on(routes.previewScope, async (_c, { params: { key }, body }) => {
    const entry = requireEntry(deps.apps, key);
    return impact.scopeImpact(deps, await configurationOf(key), matching(scopeInputSchemaFor(entry), body));
  });
  on(routes.saveDeprovisioning, async (c, { params: { key }, body }) => {
    const row = await configurationOf(key);
    await saveDeprovisioning(deps, row, body, actorOf(c.var.session));
    await reachStep(deps, row, 'finish');
    // M-2: running timers move to the new delays at once, not at the next daily run.
    await rerunIfActive(key, 'deprovisioning_change');
    return await detail(key);
  });
  on(routes.previewDeprovisioning, async (_c, { params: { key }, body }) => impact.deprovisioningImpact(deps, await configurationOf(key), body));
  on(routes.finishSetup, async (c, { params: { key } }) => {
    const row = await configurationOf(key);
    await finishSetup(deps, row, requireEntry(deps.apps, key), authorization(row) !== null, actorOf(c.var.session));
    return await detail(key);
  });

  // W-8, M-3, M-4
  on(routes.setActivation, async (c, { params: { key }, body: { active } }) => {
    const row = await setActive(deps, await configurationOf(key), active, actorOf(c.var.session));
    // The first pass starts now rather than at the scheduler's next look.
    if (active && row.state === 'active') await deps.provisioning.requestRun(row.id, 'activation');
    return await detail(key);
  });
  on(routes.deletionImpact, async (_c, { params: { key } }) => impact.deletionImpact(deps, await configurationOf(key)));
  // M-6: the deprovisionings still waiting are carried out now (before a deletion would drop them).
  on(routes.carryOutTimers, async (c, { params: { key } }) => {
    const row = await configurationOf(key);
    if (row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: turn it on to carry out the pending deprovisioning.');
    if (row.heldRunId) throw new AppError('conflict', 'A run is held by the deletion guard: allow or cancel it first.');
    const runId = await deps.provisioning.requestRun(row.id, 'manual', { carryOutTimers: true });
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Pending deprovisioning carried out', 'Every user waiting for a deprovisioning delay is suspended or deleted now.');
    return { runId };
  });
  on(routes.deleteConfiguration, async (c, { params: { key } }) => {
    await deleteConfiguration(deps, await configurationOf(key), actorOf(c.var.session));
    return await detail(key);
  });

  // L-4 and E-14, E-15
  on(routes.syncNow, async (_c, { params: { key }, body: { dryRun } }) => {
    const row = await configurationOf(key);
    if (!row.setupCompletedAt) throw new AppError('conflict', 'Finish the setup before syncing.');
    if (row.state === 'needs_reauthorization') throw new AppError('conflict', 'Re-authorize autoprov first: the app no longer accepts its authorization.');
    if (!dryRun && row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: activate it first, or ask for a dry run.');
    if (!dryRun && row.heldRunId) throw new AppError('conflict', 'A run is held by the deletion guard: allow or cancel it first.');
    return { runId: await deps.provisioning.requestRun(row.id, 'manual', { dryRun }) };
  });
  on(routes.runs, async (_c, { params: { key }, query: { cursor, pageSize } }) => await syncRunPage(db, (await configurationOf(key)).id, cursor, pageSize));
  on(routes.run, async (_c, { params: { key, runId } }) => await getRun(db, (await configurationOf(key)).id, runId));
  // L-3: the report of a run that is over, filtered by result and kind of change.
  on(routes.runReport, async (_c, { params: { key, runId }, query: { cursor, pageSize, ...filter } }) =>
    await reportPage(db, await finishedRun(db, (await configurationOf(key)).id, runId), filter, cursor, pageSize),
  );
  on(routes.runReportCsv, async (c, { params: { key, runId }, query: filter }) => {
    const run = await finishedRun(db, (await configurationOf(key)).id, runId);
    const entry = requireEntry(deps.apps, key);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="sync-report-${key}-${run.requestedAt.toISOString().slice(0, 19).replace(/:/g, '')}.csv"`);
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      await out.write(UTF8_BOM + csvLine(['User', 'Action', 'Result', 'Changes', 'Reason']));
      const action = (a: string) => reportActionLabels[a as keyof typeof reportActionLabels] ?? a;
      for await (const rows of reportRows(db, run.id, filter)) {
        if (out.aborted) return;
        await out.write(rows.map((r) => csvLine([r.userEmail, action(r.action), reportResultLabels[r.result], changesText(r.changes, entry), r.reason])).join(''));
      }
    });
  });
  // E-20: one user on demand: the plan and why (a read, open to read-only admins), then the run.
  on(routes.onDemandPlan, async (_c, { params: { key }, query }) => onDemand.userPlan(deps, await configurationOf(key), query.userId));
  on(routes.onDemandRunStart, async (c, { params: { key }, body: { userId } }) => {
    const row = await configurationOf(key);
    const blocked = onDemand.blockedBecause(row);
    if (blocked) throw new AppError('conflict', blocked);
    // The user must exist: a run for nobody would say nothing.
    const plan = await onDemand.userPlan(deps, row, userId);
    const started = await deps.provisioning.requestUserRun(row.id, userId);
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'User provisioned on demand', plan.user.primaryEmail);
    return started;
  });
  on(routes.onDemandRun, async (_c, { params: { key, runId } }) => await onDemand.onDemandRun(deps, await configurationOf(key), runId));
  on(routes.allowHeldRun, async (c, { params: { key } }) => {
    const row = await configurationOf(key);
    const runId = await deps.provisioning.allowHeldRun(row.id);
    if (!runId) throw new AppError('conflict', 'No run is held for this app.');
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Held run allowed', 'The run goes ahead with the suspensions and deletions it planned.');
    return { runId };
  });
  // E-17 "Retry now": one probe of a quarantined app, at once; it leaves quarantine if the app answers.
  on(routes.retryQuarantined, async (c, { params: { key } }) => {
    const row = await configurationOf(key);
    if (row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: turn it on first.');
    if (!(await healthOf(db, row.id))?.quarantinedAt) throw new AppError('conflict', 'This app is not quarantined.');
    const result = await deps.provisioning.probe(row.id);
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Quarantine: retry now', result.message);
    return result;
  });
  // E-16: a super-admin asks to try one user's failed operation again now (a refused one too).
  on(routes.retryEscrowed, async (c, { params: { key, userId } }) => {
    const row = await configurationOf(key);
    if (row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: turn it on first.');
    const escrowed = (await loadEscrow(db, row.id, [userId])).get(userId);
    if (!escrowed) throw new AppError('not_found', 'No failed operation waits for this user.');
    const runId = await deps.provisioning.retryUser(row.id, userId);
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Failed operation retried', escrowed.userEmail);
    return { runId };
  });
  // E-19: a reconciliation now (a full run that also reads what the app holds), and its setting.
  on(routes.reconcileNow, async (c, { params: { key } }) => {
    const row = await configurationOf(key);
    if (row.state === 'needs_reauthorization') throw new AppError('conflict', 'Re-authorize autoprov first: the app no longer accepts its authorization.');
    if (row.state !== 'active') throw new AppError('conflict', 'Provisioning is not active: activate it first.');
    if (row.heldRunId) throw new AppError('conflict', 'A run is held by the deletion guard: allow or cancel it first.');
    const runId = await deps.provisioning.requestRun(row.id, 'reconcile');
    const what = row.driftMode === 'correct' ? 'Accounts changed in the app are set back.' : 'Drift is reported only.';
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Reconciliation started', what);
    return { runId };
  });
  on(routes.driftPreview, async (_c, { params: { key }, body }) => await impact.driftImpact(deps, await configurationOf(key), body));
  on(routes.setDriftMode, async (c, { params: { key }, body }) => {
    await setDriftMode(deps, await configurationOf(key), body.mode, actorOf(c.var.session));
    return await detail(key);
  });
  // E-18: the app's request limits, or the catalog's again.
  on(routes.setRequestLimits, async (c, { params: { key }, body }) => {
    await setRequestLimits(deps, await configurationOf(key), body, actorOf(c.var.session));
    return await detail(key);
  });
  on(routes.resetRequestLimits, async (c, { params: { key } }) => {
    await setRequestLimits(deps, await configurationOf(key), null, actorOf(c.var.session));
    return await detail(key);
  });
  on(routes.cancelHeldRun, async (c, { params: { key } }) => {
    const row = await configurationOf(key);
    if (!await deps.provisioning.cancelHeldRun(row.id, c.var.session!.admin.email)) throw new AppError('conflict', 'No run is held for this app.');
    await audit(db, deps.clock.now(), key, actorOf(c.var.session), 'Held run cancelled', 'Provisioning was disabled; nothing was deprovisioned.');
    return await detail(key);
  });
  return router;
}
