import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoApp } from '@autoprov/demo-app';
import { appConfigurations, syncRuns, usageEvents } from '@autoprov/db';
import { listUsers, systemActor, updateUser } from '@autoprov/directory';
import { SecretBox } from '@autoprov/secrets';
import { appConnector, storeCredentials } from './app-connection.js';
import { executeRun } from './run.js';
import { engineFixture } from './test-support.js';
import { authorizeTestDemoApp, demoClient, startTestDemoApp } from './testing/targets.js';

// The engine against the built-in demo app (SPEC §6) over real OAuth 2.0 on 127.0.0.1.
const apps: DemoApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** W-2 as the console will do it: authorize in the app, store the tokens sealed. */
async function authorize(app: DemoApp, f: Awaited<ReturnType<typeof engineFixture>>, secrets: SecretBox) {
  const tokens = await authorizeTestDemoApp(app);
  await storeCredentials(f.db, secrets, f.configurationId, {
    kind: 'oauth',
    origin: app.url,
    tokenEndpoint: app.endpoints().token,
    clientId: demoClient.clientId,
    clientSecret: demoClient.clientSecret,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: null,
  });
}

async function setUp(verifiedDomains?: string[]) {
  const app = await startTestDemoApp(verifiedDomains);
  apps.push(app);
  const f = await engineFixture({ baseUrl: app.scimBaseUrl(), token: 'unused' });
  const secrets = new SecretBox(randomBytes(32));
  f.deps.appFor = appConnector(f.db, secrets, { requestsPerSecond: 100_000, backoffMs: 2 });
  await authorize(app, f, secrets);
  const run = async () => (await f.db.select().from(syncRuns).where(eq(syncRuns.id, await executeRun(f.deps, { configurationId: f.configurationId, trigger: 'manual' }))).limit(1))[0]!;
  const appUsers = async () => await app.db.query.users.findMany();
  return { app, f, secrets, run, appUsers };
}

describe('engine ↔ demo app', () => {
  it('E-3, E-7: provisions every user in scope with product access, and each gets a welcome e-mail', async () => {
    const { app, run, appUsers } = await setUp();
    expect((await run()).counts).toEqual({ created: 200 });
    expect(await appUsers()).toHaveLength(200);
    expect(new Set((await appUsers()).map((u) => u.productAccess))).toEqual(new Set(['organizer']));
    expect(await app.db.query.outbox.findMany()).toHaveLength(200);
  });

  it("E-8: every refused user is a Failure event with the app's own reason; the run says partly failed or failed", async () => {
    const { f, run } = await setUp(['example.net']);
    const result = await run();
    expect(result.state).toBe('failed');
    const failures = await f.db.select().from(usageEvents).where(eq(usageEvents.kind, 'failure'));
    expect(failures).toHaveLength(200);
    expect(failures[0]!.detail).toMatch(/example\.com is not a verified domain of this organisation \(verified: example\.net\)/);
  });

  it('E-9, M-5: the app admin changes the password → needs re-authorization, nothing lost; after re-authorizing the changes made meanwhile arrive', async () => {
    const { app, f, secrets, run, appUsers } = await setUp();
    await run();
    // In the demo app's Admin Center: change the admin password (revokes every token).
    const { revokeEverything } = await import('@autoprov/demo-app');
    revokeEverything(app.db);
    const someone = (await listUsers(f.db, { page: 1, pageSize: 1, status: 'active' })).items[0]!;
    await updateUser(f.db, f.clock, systemActor, someone.id, { familyName: 'Meanwhile' });
    const refused = await run();
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/re-authorize/);
    const config = (await f.db.select().from(appConfigurations).where(eq(appConfigurations.id, f.configurationId)).limit(1))[0]!;
    expect(config.state).toBe('needs_reauthorization');
    expect(await appUsers()).toHaveLength(200);

    await authorize(app, f, secrets);
    await f.db.update(appConfigurations).set({ state: 'active' }).where(eq(appConfigurations.id, f.configurationId));
    expect((await run()).counts).toEqual({ updated: 1 });
    const updated = (await appUsers()).find((u) => u.userName === someone.primaryEmail)!;
    expect((updated.resource.name as { familyName: string }).familyName).toBe('Meanwhile');
  });

  it('refreshes an expired access token by itself and keeps the new one sealed', async () => {
    const { f, secrets, run } = await setUp();
    const sealed = (await f.db.select().from(appConfigurations).where(eq(appConfigurations.id, f.configurationId)).limit(1))[0]!.sealedCredentials!;
    const creds = JSON.parse(secrets.open(sealed, f.configurationId));
    await storeCredentials(f.db, secrets, f.configurationId, { ...creds, accessToken: 'expired-token' });
    expect((await run()).state).toBe('succeeded');
    const after = JSON.parse(secrets.open((await f.db.select().from(appConfigurations).where(eq(appConfigurations.id, f.configurationId)).limit(1))[0]!.sealedCredentials!, f.configurationId));
    expect(after.accessToken).not.toBe('expired-token');
  });
});
