import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { AppError, routes, usageEventLabels } from '@autoprov/contract';
import { appConfigurations, syncRuns } from '@autoprov/db';
import { requireAdmin } from '../auth/middleware.js';
import type { ServerDeps } from '../deps.js';
import { routesOn } from '../lib/route.js';
import { appCatalog } from '../provisioning/catalog.js';
import { csvLine, UTF8_BOM } from '../reports/csv.js';
import { usageLogPage, usageLogRows, usageLogSummary } from '../reports/usage-log.js';
import { finishedRun, reportPage, syncRunPage } from '../reports/sync-runs.js';
import type { AppEnv } from '../types.js';

/** L-1: the usage log of the last 30 days, across apps; every admin may read it (S-1). */
export function reportsRoutes(deps: ServerDeps) {
  const names = new Map(appCatalog(deps.apps).map((e) => [e.key, e.name]));
  const appName = (key: string) => names.get(key) ?? key;
  /** A deleted configuration, or 404: live ones are reached from their app's page. */
  const deletedConfiguration = async (id: string) => {
    const row = (await deps.db
      .select()
      .from(appConfigurations)
      .where(and(eq(appConfigurations.id, id), isNotNull(appConfigurations.deletedAt))).limit(1))[0];
    if (!row) throw new AppError('not_found', 'There is no such deleted configuration.');
    return row;
  };
  const router = new Hono<AppEnv>().use(requireAdmin);
  const on = routesOn(router, '/api/reports');

  // M-4, M-6: the sync history and reports of deleted configurations stay reachable here.
  on(routes.deletedConfigurations, async () => {
    const rows = await deps.db
      .select({ id: appConfigurations.id, appKey: appConfigurations.appKey, createdAt: appConfigurations.createdAt, deletedAt: appConfigurations.deletedAt, runs: sql<number>`count(${syncRuns.id})`.mapWith(Number) })
      .from(appConfigurations)
      .leftJoin(syncRuns, eq(syncRuns.configurationId, appConfigurations.id))
      .where(isNotNull(appConfigurations.deletedAt))
      .groupBy(appConfigurations.id)
      .orderBy(desc(appConfigurations.deletedAt));
    return { items: rows.map((r) => ({ ...r, appName: appName(r.appKey), createdAt: r.createdAt.toISOString(), deletedAt: r.deletedAt!.toISOString() })) };
  });
  on(routes.deletedConfigurationRuns, async (_c, { params, query: { cursor, pageSize } }) => await syncRunPage(deps.db, (await deletedConfiguration(params.id)).id, cursor, pageSize));
  on(routes.deletedConfigurationReport, async (_c, { params: { id, runId }, query: { cursor, pageSize, ...filter } }) =>
    await reportPage(deps.db, await finishedRun(deps.db, (await deletedConfiguration(id)).id, runId), filter, cursor, pageSize),
  );
  on(routes.usageLog, async (_c, { query: { cursor, pageSize, ...filter } }) => await usageLogPage(deps.db, filter, deps.clock.now(), cursor, pageSize, appName));
  on(routes.usageSummary, async (_c, { query }) => await usageLogSummary(deps.db, query, deps.clock.now()));
  on(routes.usageCsv, (c, { query: filter }) => {
    const now = deps.clock.now();
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="usage-log-${now.toISOString().slice(0, 10)}.csv"`);
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      await out.write(UTF8_BOM + csvLine(['Time (UTC)', 'Event', 'App', 'User', 'Details', 'Sync run']));
      for await (const rows of usageLogRows(deps.db, filter, now)) {
        if (out.aborted) return;
        let chunk = '';
        for (const [, at, appKey, kind, userEmail, runId, detail] of rows) {
          chunk += csvLine([new Date(at).toISOString(), usageEventLabels[kind], appName(appKey), userEmail, detail, runId]);
        }
        await out.write(chunk);
      }
    });
  });
  return router;
}
