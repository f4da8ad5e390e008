import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDeprovisioning } from '@autoprov/contract';
import { appConfigurations, configurationAudit, openDatabase, orgUnits, type OpenDatabase } from '@autoprov/db';
import { seedDemoOrganisation, systemClock } from '@autoprov/directory';
import { availabilityResolver, loadConfiguration } from '@autoprov/engine';
import { manualClock } from '../test/harness.js';
import { setAvailability } from './app-settings.js';
import { pauseAllActive } from './lifecycle.js';
import { appDetail } from './views.js';
import { draftFor } from './wizard.js';

const admin = { adminId: null, label: 'ada@example.com' };
const apps = { vendorUrls: {}, oauthClients: {} };
let store: OpenDatabase;

async function setUp() {
  store = openDatabase(':memory:');
  await seedDemoOrganisation(store.db, systemClock);
  return { db: store.db, clock: manualClock(), apps };
}

afterEach(() => store.close());

describe('the lifecycle of a configuration (the server\'s one writer of app_configurations)', () => {
  it('pauses the active apps only, each with a line in its audit trail (directory switch)', async () => {
    const deps = await setUp();
    const active = await draftFor(deps, 'gotomeeting', admin);
    const disabled = await draftFor(deps, 'workleap', admin);
    await draftFor(deps, 'custom-scim', admin);
    await deps.db.update(appConfigurations).set({ state: 'active' }).where(eq(appConfigurations.id, active.id));
    await deps.db.update(appConfigurations).set({ state: 'disabled' }).where(eq(appConfigurations.id, disabled.id));

    expect(await pauseAllActive(deps, admin, 'The directory was switched.')).toEqual(['gotomeeting']);

    const states = Object.fromEntries((await deps.db.select().from(appConfigurations)).map((c) => [c.appKey, c.state]));
    expect(states).toEqual({ gotomeeting: 'disabled', workleap: 'disabled', 'custom-scim': 'draft' });
    const paused = await deps.db.select().from(configurationAudit).where(eq(configurationAudit.action, 'Provisioning paused'));
    expect(paused.map((a) => [a.appKey, a.detail])).toEqual([['gotomeeting', 'The directory was switched.']]);
  });
});

describe('one rule for the console and the engine', () => {
  it('a configuration without saved rules runs by, and shows, the contract\'s defaults (W-6)', async () => {
    const deps = await setUp();
    const row = await draftFor(deps, 'gotomeeting', admin);
    await deps.db.update(appConfigurations).set({ deprovisioning: null }).where(eq(appConfigurations.id, row.id));

    expect((await loadConfiguration(deps.db, row.id))!.planConfiguration.rules).toEqual(defaultDeprovisioning);
    expect((await appDetail(deps, 'gotomeeting', () => null)).configuration!.deprovisioning).toEqual(defaultDeprovisioning);
  });

  it('the availability the app page shows per org unit is the one the planner uses (SPEC §1 inheritance)', async () => {
    const deps = await setUp();
    const unit = async (path: string) => (await deps.db.select().from(orgUnits).where(eq(orgUnits.path, path)).limit(1))[0]!.id;
    await setAvailability(deps, 'gotomeeting', { orgUnitId: await unit('/Engineering'), setting: 'off' }, admin);
    await setAvailability(deps, 'gotomeeting', { orgUnitId: await unit('/Engineering/Platform'), setting: 'on' }, admin);
    await setAvailability(deps, 'gotomeeting', { orgUnitId: await unit('/Sales'), setting: 'off' }, admin);
    const row = await draftFor(deps, 'gotomeeting', admin);

    const shown = (await appDetail(deps, 'gotomeeting', () => null)).availability;
    const planned = availabilityResolver((await loadConfiguration(deps.db, row.id))!.availability);
    expect(shown.filter((u) => u.effective === 'off').map((u) => u.path)).toEqual(['/Engineering', '/Sales']);
    for (const u of shown) expect(u.effective === 'on').toBe(planned(u.path));
  });
});
