import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { provisionedAccounts, syncReportLines, syncRuns } from '@autoprov/db';
import { listUsers } from '@autoprov/directory';
import { ScimClient, staticToken } from '@autoprov/scim-client';
import { executeRun } from '../run.js';
import { engineFixture } from '../test-support.js';
import { demoAppTarget, scimmyTarget, type Target } from './targets.js';

/** The two SCIM services on 127.0.0.1 engine tests run against: our demo app, and SCIMMY (written by others). */
export const twoTargets = [
  ['the demo app', demoAppTarget],
  ['SCIMMY', scimmyTarget],
] as const;

/**
 * Inside a `describe`: before each test a fresh engine fixture on the emptied target, "someone
 * else" who changes the app by hand through its own SCIM API, and the reads the tests share.
 * `target`, `f` and `someoneElse` are read through the returned object (each test gets new ones).
 */
export function againstTarget(makeTarget: () => Promise<Target>) {
  const h = {
    target: undefined as unknown as Target,
    f: undefined as unknown as Awaited<ReturnType<typeof engineFixture>>,
    someoneElse: undefined as unknown as ScimClient,
    /** Runs the app once and returns the run's row. */
    runRow: async (trigger: 'manual' | 'reconcile') =>
      (await h.f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(h.f.deps, { configurationId: h.f.configurationId, trigger }))).limit(1))[0]!,
    lines: async (runId: string) => await h.f.db.select().from(syncReportLines).where(eq(syncReportLines.runId, runId)),
    linkOf: async (userId: string) => (await h.f.db.select().from(provisionedAccounts).where(eq(provisionedAccounts.directoryUserId, userId)).limit(1))[0]!,
    /** The demo organisation's active users in the primary domain (E-2): the ones provisioned. */
    inScope: async () => (await listUsers(h.f.db, { page: 1, pageSize: 100, status: 'active' })).items.filter((u) => u.primaryEmail.endsWith('@example.com')),
  };
  beforeAll(async () => {
    h.target = await makeTarget();
  });
  afterAll(() => h.target.close());
  beforeEach(async () => {
    h.target.clear();
    h.f = await engineFixture({ baseUrl: h.target.baseUrl, token: h.target.token });
    h.someoneElse = new ScimClient({ baseUrl: h.target.baseUrl, tokens: staticToken(h.target.token, h.target.baseUrl), backoffMs: 2, requestsPerSecond: 100_000 });
  });
  return h;
}
