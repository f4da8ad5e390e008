import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { deprovisionTimers, directoryGroups, provisionedAccounts } from '@autoprov/db';
import type { DeprovisionTimer, PlanConfiguration, ProvisionedAccount } from './model.js';
import { planImpact, previewImpact, type ImpactInput, type ImpactSide } from './impact.js';
import { engineFixture } from './test-support.js';
import type { DirectoryPortUser } from './ports.js';

const now = new Date('2026-11-24T12:00:00Z');
const day = 24 * 60 * 60 * 1000;

const configuration: Omit<PlanConfiguration, 'primaryDomain'> = {
  mapping: { userName: 'primaryEmail' },
  scope: [
    { groupId: 'sales', accessLevel: 'organizer' },
    { groupId: 'admins', accessLevel: 'admin' },
  ],
  accessLevels: ['organizer', 'admin'],
  defaultAccessLevel: 'organizer',
  rules: {
    app_off: { delay: '7d', action: 'suspend' },
    suspended: { delay: 'next_sync', action: 'suspend' },
    deleted: { delay: '1d', action: 'delete' },
  },
};

function user(id: string, groups: string[], orgUnitPath = '/'): DirectoryPortUser {
  const email = `${id}@example.com`;
  return { id, primaryEmail: email, status: 'active', orgUnitPath, attributes: { primaryEmail: email }, groupIds: new Set(groups) };
}

const ann = user('ann', ['sales']);
const bob = user('bob', ['sales', 'admins']);
const cid = user('cid', [], '/Lab');
const users = [ann, bob, cid];

/** Ann and Bob have accounts, in step with the current settings. */
const accounts = new Map<string, ProvisionedAccount>([
  ['ann', { directoryUserId: 'ann', remoteId: 'r-ann', userName: ann.primaryEmail, state: 'active', lastSent: { userName: ann.primaryEmail, accessLevel: 'organizer' } }],
  ['bob', { directoryUserId: 'bob', remoteId: 'r-bob', userName: bob.primaryEmail, state: 'active', lastSent: { userName: bob.primaryEmail, accessLevel: 'admin' } }],
]);

const current: ImpactSide = { configuration, availability: new Map() };

function impact(proposed: ImpactSide, extra: Partial<ImpactInput> = {}) {
  return planImpact({ now, primaryDomain: 'example.com', users, accounts, timers: new Map(), current, proposed, ...extra });
}

describe('planImpact (M-6)', () => {
  it('no change, no impact: what a run would do anyway is not counted', () => {
    expect(impact(current)).toEqual([]);
    // Ann is back in scope with a timer running: both plans cancel it, so the change does not.
    const withTimer = new Map<string, DeprovisionTimer>([['ann', { directoryUserId: 'ann', trigger: 'app_off', action: 'suspend', startedAt: now, dueAt: new Date(now.getTime() + 7 * day) }]]);
    expect(impact(current, { timers: withTimer })).toEqual([]);
  });

  it('M-1: removing a group starts a delay for its members, with when it fires, and lowers no one else', () => {
    const entries = impact({ ...current, configuration: { ...configuration, scope: [{ groupId: 'admins', accessLevel: 'admin' }] } });
    expect(entries).toEqual([{ kind: 'deprovision', userId: 'ann', trigger: 'app_off', action: 'suspend', at: new Date(now.getTime() + 7 * day) }]);
  });

  it('M-1: emptying the scope provisions everyone for whom the app is ON, and changes access levels to the default', () => {
    const entries = impact({ ...current, configuration: { ...configuration, scope: [] } });
    expect(entries).toEqual([
      { kind: 'access_level', userId: 'bob', from: 'admin', to: 'organizer' },
      { kind: 'provision', userId: 'cid', reactivated: false },
    ]);
  });

  it('E-7: a new access level for a group changes its members', () => {
    const entries = impact({ ...current, configuration: { ...configuration, scope: [{ groupId: 'sales', accessLevel: 'admin' }, { groupId: 'admins', accessLevel: 'admin' }] } });
    expect(entries).toEqual([{ kind: 'access_level', userId: 'ann', from: 'organizer', to: 'admin' }]);
  });

  it('M-2: a changed delay moves the pending timers, and says to when', () => {
    const timers = new Map<string, DeprovisionTimer>([
      ['ann', { directoryUserId: 'ann', trigger: 'app_off', action: 'suspend', startedAt: new Date(now.getTime() - day), dueAt: new Date(now.getTime() + 6 * day) }],
    ]);
    const off = { ...current, availability: new Map([['/', false]]) };
    const moved = planImpact({
      now,
      primaryDomain: 'example.com',
      users: [ann],
      accounts,
      timers,
      current: off,
      proposed: { ...off, configuration: { ...configuration, rules: { ...configuration.rules, app_off: { delay: '21d', action: 'suspend' } } } },
    });
    expect(moved).toContainEqual({ kind: 'timer_moved', userId: 'ann', action: 'suspend', from: new Date(now.getTime() + 6 * day), to: new Date(now.getTime() + 20 * day) });
  });

  it('SPEC §1: turning the app OFF for an org unit starts delays for its users with accounts; ON again cancels them', () => {
    const lab = user('lab', ['sales'], '/Lab');
    const labAccount: ProvisionedAccount = { directoryUserId: 'lab', remoteId: 'r-lab', userName: lab.primaryEmail, state: 'active', lastSent: { userName: lab.primaryEmail, accessLevel: 'organizer' } };
    const input = { now, primaryDomain: 'example.com', users: [ann, lab], accounts: new Map([['lab', labAccount], ['ann', accounts.get('ann')!]]) };
    const off = planImpact({ ...input, timers: new Map(), current, proposed: { ...current, availability: new Map([['/Lab', false]]) } });
    expect(off).toEqual([{ kind: 'deprovision', userId: 'lab', trigger: 'app_off', action: 'suspend', at: new Date(now.getTime() + 7 * day) }]);
    const timer: DeprovisionTimer = { directoryUserId: 'lab', trigger: 'app_off', action: 'suspend', startedAt: now, dueAt: new Date(now.getTime() + 7 * day) };
    const offNow = { ...current, availability: new Map([['/Lab', false]]) };
    const on = planImpact({ ...input, timers: new Map([['lab', timer]]), current: offNow, proposed: current });
    expect(on).toEqual([{ kind: 'timer_cancelled', userId: 'lab', dueAt: timer.dueAt }]);
  });
});

describe('previewImpact (M-6) over a real directory', () => {
  it('gives the same impact read a page at a time as read whole, links of users gone included', async () => {
    const f = await engineFixture({ baseUrl: 'http://127.0.0.1:9/never-called', token: 'unused' });
    const finance = (await f.db.select().from(directoryGroups).where(eq(directoryGroups.name, 'Finance')).limit(1))[0]!;
    await f.setScope([{ groupId: finance.id, accessLevel: 'organizer' }]);
    // A link whose user the directory no longer has, waiting for its "deleted" delay.
    const startedAt = f.clock.now();
    await f.db.insert(provisionedAccounts).values({ configurationId: f.configurationId, directoryUserId: 'zzzz-gone', userName: 'gone@example.com', remoteId: 'r-gone', state: 'active', lastSent: {}, createdAt: startedAt, updatedAt: startedAt });
    await f.db.insert(deprovisionTimers).values({ configurationId: f.configurationId, directoryUserId: 'zzzz-gone', trigger: 'deleted', action: 'delete', dueAt: startedAt, createdAt: startedAt });

    const propose = (current: ImpactSide): ImpactSide => ({
      ...current,
      configuration: { ...current.configuration, scope: [], rules: { ...current.configuration.rules, deleted: { delay: '21d', action: 'delete' } } },
    });
    const whole = { db: f.db, clock: f.clock, directory: { read: f.deps.directory.read } };
    const paged = { db: f.db, clock: f.clock, directory: f.deps.directory, paging: { pageSize: 7, keepAtMost: 5 } };
    const summary = (found: Awaited<ReturnType<typeof previewImpact>>) => found.map((f) => `${f.entry.kind} ${f.person.email}`).sort();

    const byPage = await previewImpact(paged, f.configurationId, propose);
    expect(summary(byPage)).toEqual(summary(await previewImpact(whole, f.configurationId, propose)));
    // Everyone outside Finance (E-2: active, primary domain) gets an account; the gone user's timer moves by 21 days.
    const active = (await f.deps.directory.read()).users.filter((u) => u.status === 'active' && u.primaryEmail.endsWith('@example.com'));
    const inFinance = active.filter((u) => u.groupIds.has(finance.id));
    expect(byPage.filter((e) => e.entry.kind === 'provision')).toHaveLength(active.length - inFinance.length);
    expect(byPage.filter((e) => e.entry.kind === 'timer_moved')).toEqual([
      { entry: { kind: 'timer_moved', userId: 'zzzz-gone', action: 'delete', from: startedAt, to: new Date(startedAt.getTime() + 21 * day) }, person: { email: 'gone@example.com', name: null } },
    ]);
    await f.close();
  });
});
