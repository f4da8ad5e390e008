import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigurations, syncRuns } from '@autoprov/db';
import { startScimmyServer } from '@autoprov/scim-client/testing';
import { SecretBox } from '@autoprov/secrets';
import { appConnector, storeCredentials } from './app-connection.js';
import { executeRun } from './executor.js';
import { engineFixture } from './test-support.js';

let scim: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  scim = await startScimmyServer({ token: 'pasted-token' });
});
afterAll(() => scim.close());

describe('app connection from stored, sealed credentials (S-2)', () => {
  it('provisions with a stored bearer token, which is never stored in the clear', async () => {
    const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    const secrets = new SecretBox(randomBytes(32));
    storeCredentials(f.db, secrets, f.configurationId, { kind: 'bearer', token: 'pasted-token' });
    expect(f.configuration().sealedCredentials).not.toContain('pasted-token');
    f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000 });
    const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get()?.state).toBe('succeeded');
    expect(scim.users.size).toBe(200);
  });

  it('a configuration with no authorization, or one sealed under another key, needs re-authorization', async () => {
    const f = engineFixture({ baseUrl: scim.baseUrl, token: 'unused' });
    f.deps.appFor = appConnector(f.db, new SecretBox(randomBytes(32)));
    await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(f.configuration().state).toBe('needs_reauthorization');

    f.db.update(appConfigurations).set({ state: 'active' }).run();
    storeCredentials(f.db, new SecretBox(randomBytes(32)), f.configurationId, { kind: 'bearer', token: 'pasted-token' });
    const runId = await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' });
    expect(f.configuration().state).toBe('needs_reauthorization');
    expect(f.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get()?.error).toMatch(/secret key/);
  });
});
