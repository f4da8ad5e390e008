import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncRuns, usageEvents } from '@autoprov/db';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { startScimmyServer } from '@autoprov/scim-client/testing';
import { executeRun } from './run.js';
import { scimAppPort } from './scim-app.js';
import { engineFixture } from './test-support.js';

/**
 * A proxy on 127.0.0.1 in front of the SCIM server that spoils one request in five: a 429, a
 * 503, or a hang — and a hang may come after the app already did the work (the worst case for
 * E-10: the create happened, the answer never came).
 */
async function faultyProxy(target: string) {
  const targetUrl = new URL(target);
  let n = 0;
  const stats = { forwarded: 0, spoiled: 0 };
  const server = createServer((req, res) => {
    const i = n++;
    const fault = i % 5 === 2 ? (['429', '503', 'hang-before', 'hang-after'] as const)[Math.floor(i / 5) % 4] : null;
    if (fault === '429') {
      stats.spoiled++;
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/scim+json' });
      return void res.end(JSON.stringify({ status: '429', detail: 'Too many requests' }));
    }
    if (fault === '503') {
      stats.spoiled++;
      res.writeHead(503);
      return void res.end();
    }
    if (fault === 'hang-before') {
      stats.spoiled++;
      return; // never answers, never forwards
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.forwarded++;
      const upstream = httpRequest(
        { hostname: targetUrl.hostname, port: targetUrl.port, path: req.url!.replace('/proxy', targetUrl.pathname), method: req.method, headers: req.headers },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            if (fault === 'hang-after') {
              stats.spoiled++;
              return; // the app did it; the answer is lost
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/proxy`,
    stats,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
let proxy: Awaited<ReturnType<typeof faultyProxy>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'good' });
  proxy = await faultyProxy(scim.baseUrl);
});
afterAll(async () => {
  proxy.close();
  await scim.close();
});

describe('faults (E-8, E-10)', () => {
  it('a target that answers 429, 503 or hangs for 20% of requests still ends with every user right and no duplicates', async () => {
    const f = await engineFixture({ baseUrl: proxy.url, token: 'good' });
    f.deps.appFor = async () =>
      scimAppPort(new ScimClient({ baseUrl: proxy.url, tokens: staticToken('good', proxy.url), timeoutMs: 1000, backoffMs: 2, maxBackoffMs: 10, maxRetries: 1, requestsPerSecond: 100_000 }));
    const first = (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' }))).limit(1))[0]!;
    const failures = await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'));
    // With one retry some users fail this run: each failure is counted and logged with its reason.
    expect(first.counts.failed ?? 0).toBe(failures.length);
    expect(failures.every((e) => e.detail && e.detail.length > 0)).toBe(true);
    expect(proxy.stats.spoiled).toBeGreaterThan(20);

    // The next runs finish the job (a run that has nothing left to do is the sign); nothing is
    // ever created twice.
    let converged = false;
    for (let i = 0; i < 12 && !converged; i++) {
      const id = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
      converged = Object.keys((await f.db.select().from(syncRuns).where(eq(syncRuns.id, id)).limit(1))[0]!.counts).length === 0;
    }
    expect(converged).toBe(true);
    const userNames = [...scim.users.values()].map((u) => String(u.userName).toLowerCase());
    expect(new Set(userNames).size).toBe(userNames.length);
    expect(userNames).toHaveLength(200);
  });
});
