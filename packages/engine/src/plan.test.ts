import { describe, expect, it } from 'vitest';
import type { DeprovisionTimer, DirectoryUserView, PlanConfiguration, ProvisionedAccount } from './model.js';
import { exceedsDeletionGuard, plan, type PlanInput } from './plan.js';

const now = new Date('2026-11-24T12:00:00Z');
const day = 24 * 60 * 60 * 1000;

const configuration: PlanConfiguration = {
  primaryDomain: 'example.com',
  mapping: { userName: 'primaryEmail', 'name.givenName': 'givenName', 'name.familyName': 'familyName' },
  scope: [],
  accessLevels: ['organizer', 'admin'],
  defaultAccessLevel: 'organizer',
  rules: {
    app_off: { delay: '7d', action: 'suspend' },
    suspended: { delay: 'next_sync', action: 'suspend' },
    deleted: { delay: '1d', action: 'delete' },
  },
};

function user(overrides: Partial<DirectoryUserView> & { id: string }): DirectoryUserView {
  const email = overrides.primaryEmail ?? `${overrides.id}@example.com`;
  return {
    primaryEmail: email,
    status: 'active',
    attributes: { primaryEmail: email, givenName: 'Given', familyName: 'Family' },
    appOn: true,
    groupIds: new Set(),
    ...overrides,
  };
}

function account(u: DirectoryUserView, overrides: Partial<ProvisionedAccount> = {}): ProvisionedAccount {
  return {
    directoryUserId: u.id,
    remoteId: `remote-${u.id}`,
    userName: u.primaryEmail,
    state: 'active',
    lastSent: { userName: u.primaryEmail, 'name.givenName': 'Given', 'name.familyName': 'Family', accessLevel: 'organizer' },
    ...overrides,
  };
}

function run(partial: Partial<PlanInput> & { users: DirectoryUserView[] }) {
  return plan({ now, configuration, accounts: new Map(), timers: new Map(), ...partial });
}

const kinds = (p: ReturnType<typeof plan>) => p.operations.map((o) => o.kind);

/** A running timer as the configuration's rule started it: due `dueIn` from now. */
function timerOf(directoryUserId: string, trigger: DeprovisionTimer['trigger'], dueIn: number): DeprovisionTimer {
  const rule = configuration.rules[trigger];
  const delay = { next_sync: 0, '1d': day, '7d': 7 * day, '21d': 21 * day }[rule.delay];
  return { directoryUserId, trigger, action: rule.action, startedAt: new Date(now.getTime() + dueIn - delay), dueAt: new Date(now.getTime() + dueIn) };
}

describe('plan', () => {
  it('E-1: leaves archived users alone entirely, even with an account and a timer', () => {
    const u = user({ id: 'a', status: 'archived' });
    const timer = timerOf('a', 'app_off', -day);
    expect(run({ users: [u], accounts: new Map([['a', account(u)]]), timers: new Map([['a', timer]]) }).operations).toEqual([]);
  });

  it('E-2: never provisions secondary-domain users, users whose app is OFF, or users outside the scope groups', () => {
    const scoped = { ...configuration, scope: [{ groupId: 'g1', accessLevel: 'organizer' }] };
    const users = [
      user({ id: 'secondary', primaryEmail: 'x@example.org' }),
      user({ id: 'off', appOn: false, groupIds: new Set(['g1']) }),
      user({ id: 'outside', groupIds: new Set(['other']) }),
      user({ id: 'inside', groupIds: new Set(['g1']) }),
    ];
    const p = plan({ now, configuration: scoped, users, accounts: new Map(), timers: new Map() });
    expect(p.operations.map((o) => o.userId)).toEqual(['inside']);
  });

  it('E-3: creates an account for an active user in scope, with the mapped attributes', () => {
    const p = run({ users: [user({ id: 'new' })] });
    expect(p.operations).toEqual([
      {
        kind: 'create',
        userId: 'new',
        userName: 'new@example.com',
        attributes: { userName: 'new@example.com', 'name.givenName': 'Given', 'name.familyName': 'Family', accessLevel: 'organizer' },
      },
    ]);
  });

  it('E-3: does not create accounts for users who are suspended or deleted and have none', () => {
    expect(run({ users: [user({ id: 's', status: 'suspended' }), user({ id: 'd', status: 'deleted' })] }).operations).toEqual([]);
  });

  it('E-4: updates exactly the attributes that changed', () => {
    const u = user({ id: 'r', attributes: { primaryEmail: 'r@example.com', givenName: 'Renamed', familyName: 'Family' } });
    const p = run({ users: [u], accounts: new Map([['r', account(u)]]) });
    expect(p.operations).toEqual([
      expect.objectContaining({ kind: 'update', changes: { 'name.givenName': { before: 'Given', after: 'Renamed' } } }),
    ]);
  });

  it('E-4: a user with nothing changed gives no operation', () => {
    const u = user({ id: 'same' });
    expect(run({ users: [u], accounts: new Map([['same', account(u)]]) }).operations).toEqual([]);
  });

  it('E-5: starts a timer with the delay of the trigger, and fires it once due', () => {
    const u = user({ id: 'off', appOn: false });
    const started = run({ users: [u], accounts: new Map([['off', account(u)]]) });
    expect(started.operations).toEqual([
      { kind: 'start_timer', userId: 'off', timer: { directoryUserId: 'off', trigger: 'app_off', action: 'suspend', startedAt: now, dueAt: new Date(now.getTime() + 7 * day) } },
    ]);
    const timer = timerOf('off', 'app_off', -1);
    const fired = run({ users: [u], accounts: new Map([['off', account(u)]]), timers: new Map([['off', timer]]) });
    expect(fired.operations).toEqual([expect.objectContaining({ kind: 'suspend', userId: 'off', remoteId: 'remote-off', trigger: 'app_off' })]);
  });

  it('E-5: "within 24 hours" acts in the same run; deletion follows the deleted rule', () => {
    const s = user({ id: 's', status: 'suspended' });
    expect(kinds(run({ users: [s], accounts: new Map([['s', account(s)]]) }))).toEqual(['start_timer', 'suspend']);
    const d = user({ id: 'd', status: 'deleted' });
    const timer = timerOf('d', 'deleted', -1);
    expect(run({ users: [d], accounts: new Map([['d', account(d)]]), timers: new Map([['d', timer]]) }).operations).toEqual([
      expect.objectContaining({ kind: 'delete', userId: 'd', remoteId: 'remote-d', trigger: 'deleted' }),
    ]);
  });

  it('E-5: a new trigger replaces a running timer of another trigger', () => {
    const d = user({ id: 'd', status: 'deleted' });
    const appOff = timerOf('d', 'app_off', day);
    const p = run({ users: [d], accounts: new Map([['d', account(d)]]), timers: new Map([['d', appOff]]) });
    expect(p.operations).toEqual([
      { kind: 'start_timer', userId: 'd', timer: { directoryUserId: 'd', trigger: 'deleted', action: 'delete', startedAt: now, dueAt: new Date(now.getTime() + day) } },
    ]);
  });

  it('E-6: a user back before the timer fires has the timer cancelled; a suspended account is unsuspended', () => {
    const u = user({ id: 'back' });
    const timer = timerOf('back', 'app_off', day);
    expect(kinds(run({ users: [u], accounts: new Map([['back', account(u)]]), timers: new Map([['back', timer]]) }))).toEqual(['cancel_timer']);
    const suspended = run({ users: [u], accounts: new Map([['back', account(u, { state: 'suspended' })]]) });
    expect(suspended.operations).toEqual([expect.objectContaining({ kind: 'unsuspend', userId: 'back', changes: {} })]);
  });

  it('E-7: the access level is the highest of the scope groups the user is in', () => {
    const scoped = {
      ...configuration,
      scope: [
        { groupId: 'hosts', accessLevel: 'organizer' },
        { groupId: 'admins', accessLevel: 'admin' },
      ],
    };
    const both = user({ id: 'both', groupIds: new Set(['hosts', 'admins']) });
    const one = user({ id: 'one', groupIds: new Set(['hosts']) });
    const p = plan({ now, configuration: scoped, users: [both, one], accounts: new Map(), timers: new Map() });
    expect(p.operations.map((o) => (o.kind === 'create' ? o.attributes.accessLevel : null))).toEqual(['admin', 'organizer']);
    const promoted = plan({ now, configuration: scoped, users: [both], accounts: new Map([['both', account(both)]]), timers: new Map() });
    expect(promoted.operations).toEqual([
      expect.objectContaining({ kind: 'update', changes: { accessLevel: { before: 'organizer', after: 'admin' } } }),
    ]);
  });

  it('E-14: an empty directory read deprovisions nobody', () => {
    const gone = user({ id: 'gone' });
    const timer = timerOf('gone', 'deleted', -1);
    const p = run({ users: [], accounts: new Map([['gone', account(gone)]]), timers: new Map([['gone', timer]]) });
    expect(p.operations.filter((o) => o.kind === 'delete' || o.kind === 'suspend')).toEqual([]);
    expect(p.deprovisioningWithheld).toBe('empty_directory');
  });

  it('E-14: holds a run that would deprovision more than 20% of the accounts, and at least 10', () => {
    const users = Array.from({ length: 60 }, (_, i) => user({ id: `u${i}` }));
    const accounts = new Map(users.map((u) => [u.id, account(u)]));
    const suspend = (count: number) => users.map((u, i) => (i < count ? { ...u, status: 'suspended' as const } : u));
    expect(exceedsDeletionGuard(run({ users: suspend(13), accounts }), 60).held).toBe(true);
    expect(exceedsDeletionGuard(run({ users: suspend(12), accounts }), 60).held).toBe(false);
    const small = users.slice(0, 10);
    const smallAccounts = new Map(small.map((u) => [u.id, account(u)]));
    const allSuspended: DirectoryUserView[] = small.map((u) => ({ ...u, status: 'suspended' }));
    expect(exceedsDeletionGuard(run({ users: allSuspended.slice(0, 9).concat(small.slice(9)), accounts: smallAccounts }), 10).held).toBe(false);
  });

  it('treats an account whose user the directory no longer returns as deleted', () => {
    const gone = user({ id: 'gone' });
    const p = run({ users: [user({ id: 'other' })], accounts: new Map([['gone', account(gone)]]) });
    expect(p.operations).toContainEqual(expect.objectContaining({ kind: 'start_timer', userId: 'gone' }));
  });
  it('M-2: a changed delay moves a running timer, still counted from the trigger; a shorter one may fire it now', () => {
    const u = user({ id: 'off', appOn: false });
    const accounts = new Map([['off', account(u)]]);
    const timer = timerOf('off', 'app_off', 5 * day); // started 2 days ago under "after 7 days"
    const longer = { ...configuration, rules: { ...configuration.rules, app_off: { delay: '21d' as const, action: 'suspend' as const } } };
    expect(plan({ now, configuration: longer, users: [u], accounts, timers: new Map([['off', timer]]) }).operations).toEqual([
      { kind: 'start_timer', userId: 'off', timer: { ...timer, dueAt: new Date(now.getTime() + 19 * day) } },
    ]);
    const shorter = { ...configuration, rules: { ...configuration.rules, app_off: { delay: '1d' as const, action: 'delete' as const } } };
    expect(kinds(plan({ now, configuration: shorter, users: [u], accounts, timers: new Map([['off', timer]]) }))).toEqual(['start_timer', 'delete']);
    expect(run({ users: [u], accounts, timers: new Map([['off', timer]]) }).operations).toEqual([]);
  });

  it('M-6: carrying out the timers fires every pending one at once', () => {
    const u = user({ id: 'off', appOn: false });
    const accounts = new Map([['off', account(u)]]);
    const timer = timerOf('off', 'app_off', 5 * day);
    expect(kinds(run({ users: [u], accounts, timers: new Map([['off', timer]]), carryOutTimers: true }))).toEqual(['suspend']);
    expect(kinds(run({ users: [], accounts, timers: new Map([['off', timer]]), carryOutTimers: true }))).not.toContain('suspend');
  });
});
