import { availabilityExplainer, type Availability } from './availability.js';
import { readUsersOf, viewsOf } from './plan-source.js';
import type { EngineDeps } from './engine-deps.js';
import type { DeprovisionTimer, Operation, ProvisionedAccount } from './model.js';
import { inScope, plan, scopeTests, type ScopeTest } from './plan.js';
import type { DirectoryPortUser } from './ports.js';
import { loadAccounts, loadConfiguration, loadTimers } from './store.js';

/** E-20: what a run would do for one user, and the rules that decide it. */
export interface UserPlan {
  user: DirectoryPortUser;
  primaryDomain: string;
  /** The org unit whose setting turns the app ON or OFF for the user (null: nobody set it: ON). */
  availability: Availability;
  scopeTests: ScopeTest[];
  inScope: boolean;
  scopeGroupIds: string[];
  account: ProvisionedAccount | null;
  timer: DeprovisionTimer | null;
  /** What the run would do for the user, from the planner the runs and the dry run use. */
  operations: Operation[];
}

export type UserPlanDeps = Pick<EngineDeps, 'db' | 'directory' | 'clock'>;

/**
 * The plan for one user, made as the on-demand run makes it (the user read alone, with their
 * link and timer), so what is shown is what the run will do. Null: the directory has no such user.
 */
export async function planForUser(deps: UserPlanDeps, configurationId: string, userId: string): Promise<UserPlan | null> {
  const loaded = await loadConfiguration(deps.db, configurationId);
  if (!loaded) throw new Error('The configuration no longer exists.');
  const snapshot = await readUsersOf(deps.directory, [userId]);
  const user = snapshot.users.find((u) => u.id === userId);
  if (!user) return null;
  const availability = availabilityExplainer(loaded.availability);
  const [view] = viewsOf([user], (path) => availability(path).on);
  const configuration = { ...loaded.planConfiguration, primaryDomain: snapshot.primaryDomain };
  const accounts = await loadAccounts(deps.db, configurationId, [userId]);
  const timers = await loadTimers(deps.db, configurationId, [userId]);
  const { operations } = plan({ now: deps.clock.now(), configuration, users: [view!], accounts, timers });
  return {
    user,
    primaryDomain: snapshot.primaryDomain,
    availability: availability(user.orgUnitPath),
    scopeTests: scopeTests(view!, configuration),
    inScope: inScope(view!, configuration),
    scopeGroupIds: configuration.scope.map((g) => g.groupId),
    account: accounts.get(userId) ?? null,
    timer: timers.get(userId) ?? null,
    operations,
  };
}
