import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';

/** One thing readiness depends on: `ok`, or why not (no secret, no stack). */
export type ReadinessResult = { ok: true; detail?: string } | { ok: false; detail: string };
export type ReadinessCheck = () => ReadinessResult | Promise<ReadinessResult>;

/** A check that has not answered in this long fails: a load balancer's probe must not hang on a lost database. */
const checkTimeoutMs = 2_000;

async function runCheck(check: ReadinessCheck): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<ReadinessResult>((resolve) => (timer = setTimeout(() => resolve({ ok: false, detail: `No answer within ${checkTimeoutMs / 1000} s.` }), checkTimeoutMs))),
    ]);
  } catch (err) {
    return { ok: false, detail: (err as Error).message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

export interface OperationsOptions {
  /** Named checks, all of which must pass for the process to take work (database, migrations, scheduler). */
  readiness: Record<string, ReadinessCheck>;
  /** /metrics, served only when a token is configured (AUTOPROV_METRICS_TOKEN). */
  metrics?: { registry: Registry; token: string };
}

/** Constant-time comparison of what was sent with the token (digests: equal lengths, nothing learnt from length). */
function sameToken(sent: string, token: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(sent), digest(token));
}

/**
 * Health, readiness and metrics for load balancers, orchestrators and Prometheus (issue 16).
 * Unauthenticated except /metrics, answered at any Host (probes use the machine's address),
 * and saying nothing secret: check names and short reasons only.
 */
export function operationsRoutes(options: OperationsOptions) {
  const routes = new Hono()
    // Liveness: the process answers; it depends on nothing, so a database outage does not restart it.
    .get('/healthz', (c) => c.json({ status: 'ok' as const }))
    .get('/readyz', async (c) => {
      const entries = Object.entries(options.readiness);
      const results = await Promise.all(entries.map(([, check]) => runCheck(check)));
      const checks: Record<string, { ok: boolean; detail?: string }> = Object.fromEntries(entries.map(([name], i) => [name, results[i]!]));
      const ready = Object.values(checks).every((c) => c.ok);
      return c.json({ status: ready ? ('ready' as const) : ('not_ready' as const), checks }, ready ? 200 : 503);
    });
  const metrics = options.metrics;
  if (metrics) {
    routes.get('/metrics', async (c) => {
      const [scheme, sent] = (c.req.header('authorization') ?? '').split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !sent || !sameToken(sent, metrics.token)) {
        c.header('WWW-Authenticate', 'Bearer realm="autoprov metrics"');
        return c.json({ error: { code: 'unauthenticated', message: 'Send the metrics token (AUTOPROV_METRICS_TOKEN) as a bearer token.' } }, 401);
      }
      c.header('Content-Type', metrics.registry.contentType);
      c.header('Cache-Control', 'no-store');
      return c.body(await metrics.registry.metrics());
    });
  } else {
    // Said plainly, so that a scraper's operator knows what to set (and the console never answers here).
    routes.get('/metrics', (c) => c.json({ error: { code: 'not_found', message: 'Metrics are off: set AUTOPROV_METRICS_TOKEN to serve them.' } }, 404));
  }
  return routes;
}
