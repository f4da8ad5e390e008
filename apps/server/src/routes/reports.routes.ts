import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { usageEventLabels, usageLogFilterSchema, usageLogQuerySchema } from '@autoprov/contract';
import { requireAdmin } from '../auth/middleware.js';
import type { ServerDeps } from '../deps.js';
import { validate } from '../lib/validate.js';
import { appCatalog } from '../provisioning/configurations.js';
import { csvLine, UTF8_BOM } from '../reports/csv.js';
import { usageLogPage, usageLogRows, usageLogSummary } from '../reports/usage-log.js';
import type { AppEnv } from '../types.js';

/** L-1: the usage log of the last 30 days, across apps; every admin may read it (S-1). */
export function reportsRoutes(deps: ServerDeps) {
  const names = new Map(appCatalog(deps.apps).map((e) => [e.key, e.name]));
  const appName = (key: string) => names.get(key) ?? key;
  return new Hono<AppEnv>()
    .use(requireAdmin)
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
