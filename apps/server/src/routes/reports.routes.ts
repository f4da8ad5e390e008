import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { AppError, idSchema, pageSizeSchema, reportQuerySchema, usageEventLabels, usageLogFilterSchema, usageLogQuerySchema } from '@autoprov/contract';
import { appConfigurations, syncRuns } from '@autoprov/db';
import { requireAdmin } from '../auth/middleware.js';
import type { ServerDeps } from '../deps.js';
import { validate } from '../lib/validate.js';
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
  const deletedConfiguration = (id: string) => {
    const row = deps.db
      .select()
      .from(appConfigurations)
      .where(and(eq(appConfigurations.id, id), isNotNull(appConfigurations.deletedAt)))
      .get();
    if (!row) throw new AppError('not_found', 'There is no such deleted configuration.');
    return row;
  };
  const configurationParam = validate('param', z.object({ id: idSchema }));
  return new Hono<AppEnv>()
    .use(requireAdmin)
    // M-4, M-6: the sync history and reports of deleted configurations stay reachable here.
    .get('/deleted-configurations', (c) => {
      const rows = deps.db
        .select({ id: appConfigurations.id, appKey: appConfigurations.appKey, createdAt: appConfigurations.createdAt, deletedAt: appConfigurations.deletedAt, runs: sql<number>`count(${syncRuns.id})` })
        .from(appConfigurations)
        .leftJoin(syncRuns, eq(syncRuns.configurationId, appConfigurations.id))
        .where(isNotNull(appConfigurations.deletedAt))
        .groupBy(appConfigurations.id)
        .orderBy(desc(appConfigurations.deletedAt))
        .all();
      return c.json({ items: rows.map((r) => ({ ...r, appName: appName(r.appKey), createdAt: r.createdAt.toISOString(), deletedAt: r.deletedAt!.toISOString() })) });
    })
    .get('/deleted-configurations/:id/runs', configurationParam, validate('query', z.object({ cursor: z.string().max(100).optional(), pageSize: pageSizeSchema })), (c) => {
      const { cursor, pageSize } = c.req.valid('query');
      return c.json(syncRunPage(deps.db, deletedConfiguration(c.req.valid('param').id).id, cursor, pageSize));
    })
    .get(
      '/deleted-configurations/:id/runs/:runId/report',
      validate('param', z.object({ id: idSchema, runId: idSchema })),
      validate('query', reportQuerySchema),
      (c) => {
        const { id, runId } = c.req.valid('param');
        const { cursor, pageSize, ...filter } = c.req.valid('query');
        return c.json(reportPage(deps.db, finishedRun(deps.db, deletedConfiguration(id).id, runId), filter, cursor, pageSize));
      },
    )
    .get('/usage', validate('query', usageLogQuerySchema), (c) => {
      const { cursor, pageSize, ...filter } = c.req.valid('query');
      return c.json(usageLogPage(deps.db, filter, deps.clock.now(), cursor, pageSize, appName));
    })
    .get('/usage/summary', validate('query', usageLogFilterSchema), (c) => c.json(usageLogSummary(deps.db, c.req.valid('query'), deps.clock.now())))
    .get('/usage.csv', validate('query', usageLogFilterSchema), (c) => {
      const filter = c.req.valid('query');
      const now = deps.clock.now();
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="usage-log-${now.toISOString().slice(0, 10)}.csv"`);
      c.header('Cache-Control', 'no-store');
      return stream(c, async (out) => {
        await out.write(UTF8_BOM + csvLine(['Time (UTC)', 'Event', 'App', 'User', 'Details', 'Sync run']));
        for (const rows of usageLogRows(deps.db, filter, now)) {
          if (out.aborted) return;
          let chunk = '';
          for (const [, at, appKey, kind, userEmail, runId, detail] of rows) {
            chunk += csvLine([new Date(at).toISOString(), usageEventLabels[kind], appName(appKey), userEmail, detail, runId]);
          }
          await out.write(chunk);
        }
      });
    });
}
