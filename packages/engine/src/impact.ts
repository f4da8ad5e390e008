import type { DeprovisionAction, DeprovisionTrigger } from '@autoprov/contract';
import { availabilityResolver } from './availability.js';
import { directoryPages, viewsOf, type DirectoryPage } from './plan-source.js';
import type { EngineDeps } from './engine-deps.js';
import { ACCESS_LEVEL, type DeprovisionTimer, type Operation, type PlanConfiguration, type ProvisionedAccount } from './model.js';
import { plan } from './plan.js';
import type { DirectoryPortUser } from './ports.js';
import { loadAccounts, loadConfiguration, loadTimers } from './store.js';

/** What a plan is made from, on one side of a proposed change: the settings and the availability. */
export interface ImpactSide {
  configuration: Omit<PlanConfiguration, 'primaryDomain'>;
  /** Org unit path → ON/OFF, as set (SPEC §1 app availability). */
  availability: ReadonlyMap<string, boolean>;
}

/** One user's part in what a change would do (M-6). */
export type ImpactEntry =
  | { kind: 'provision'; userId: string; reactivated: boolean }
  | { kind: 'deprovision'; userId: string; trigger: DeprovisionTrigger; action: DeprovisionAction; at: Date }
  | { kind: 'timer_moved'; userId: string; action: DeprovisionAction; from: Date; to: Date }
  | { kind: 'timer_cancelled'; userId: string; dueAt: Date }
  | { kind: 'access_level'; userId: string; from: string | null; to: string | null };

export interface ImpactInput {
  now: Date;
  primaryDomain: string;
  users: DirectoryPortUser[];
  accounts: ReadonlyMap<string, ProvisionedAccount>;
  timers: ReadonlyMap<string, DeprovisionTimer>;
  current: ImpactSide;
  proposed: ImpactSide;
}

const sameOperation = (a: Operation, b: Operation) => JSON.stringify(a) === JSON.stringify(b);

/**
 * M-6: what a change of settings would do, person by person. The dry run's planner is asked
 * twice, with the settings as they are and as proposed; what only the proposed plan does is the
 * change's impact (what a run would do anyway is not the change's doing).
 */
export function planImpact(input: ImpactInput): ImpactEntry[] {
  const side = (s: ImpactSide) =>
    plan({
      now: input.now,
      configuration: { ...s.configuration, primaryDomain: input.primaryDomain },
      users: viewsOf(input.users, availabilityResolver(s.availability)),
      accounts: input.accounts,
      timers: input.timers,
    }).operations;
  const before = new Map<string, Operation[]>();
  for (const op of side(input.current)) before.set(op.userId, [...(before.get(op.userId) ?? []), op]);
  const entries: ImpactEntry[] = [];
  for (const op of side(input.proposed)) {
    if ((before.get(op.userId) ?? []).some((b) => sameOperation(b, op))) continue;
    const timer = input.timers.get(op.userId);
    switch (op.kind) {
      case 'create':
      case 'unsuspend':
        entries.push({ kind: 'provision', userId: op.userId, reactivated: op.kind === 'unsuspend' });
        break;
      case 'start_timer':
        if (timer && timer.trigger === op.timer.trigger) {
          entries.push({ kind: 'timer_moved', userId: op.userId, action: op.timer.action, from: timer.dueAt, to: op.timer.dueAt });
        } else {
          entries.push({ kind: 'deprovision', userId: op.userId, trigger: op.timer.trigger, action: op.timer.action, at: op.timer.dueAt });
        }
        break;
      case 'cancel_timer':
        if (timer) entries.push({ kind: 'timer_cancelled', userId: op.userId, dueAt: timer.dueAt });
        break;
      case 'update': {
        const change = op.changes[ACCESS_LEVEL];
        if (change) entries.push({ kind: 'access_level', userId: op.userId, from: change.before, to: change.after });
        break;
      }
      // A suspension or deletion now comes with the start or move of its timer, counted there.
      case 'suspend':
      case 'delete':
        break;
    }
  }
  return entries;
}

export type ImpactDeps = Pick<EngineDeps, 'db' | 'directory' | 'clock' | 'paging'>;

/** A person an entry concerns; a user the directory no longer has is known by their account. */
export interface ImpactPerson {
  email: string;
  name: string | null;
}

/**
 * Reads what a run reads (the directory a page at a time where it can, the links, the timers, the
 * settings) and plans the proposed change against it. `propose` gets the settings as they are
 * and returns the new ones.
 */
export async function previewImpact(deps: ImpactDeps, configurationId: string, propose: (current: ImpactSide) => ImpactSide) {
  const loaded = await loadConfiguration(deps.db, configurationId);
  if (!loaded) throw new Error('The configuration no longer exists.');
  const current: ImpactSide = { configuration: loaded.planConfiguration, availability: loaded.availability };
  const proposed = propose(current);
  const now = deps.clock.now();
  const found: { entry: ImpactEntry; person: ImpactPerson }[] = [];
  const planPage = (page: Omit<DirectoryPage, 'directoryEmpty'>) => {
    const byId = new Map(page.users.map((u) => [u.id, u]));
    for (const entry of planImpact({ now, ...page, current, proposed })) {
      const user = byId.get(entry.userId);
      const person = user
        ? { email: user.primaryEmail, name: user.attributes.fullName ?? null }
        : { email: page.accounts.get(entry.userId)?.userName ?? entry.userId, name: null };
      found.push({ entry, person });
    }
  };
  if (deps.directory.readPages) {
    for await (const page of directoryPages(deps, configurationId)) planPage(page);
  } else {
    const snapshot = await deps.directory.read();
    planPage({ primaryDomain: snapshot.primaryDomain, users: snapshot.users, accounts: await loadAccounts(deps.db, configurationId), timers: await loadTimers(deps.db, configurationId) });
  }
  return found;
}
