import {
  ACCESS_LEVEL,
  type AppAttributes,
  type DeprovisionTimer,
  type DirectoryUserView,
  type FieldChange,
  type Operation,
  type PlanConfiguration,
  type ProvisionedAccount,
} from './model.js';
import type { DeprovisionDelay, DeprovisionTrigger } from '@autoprov/contract';

const dayMs = 24 * 60 * 60 * 1000;
/**
 * A timer whose due time is this close to what the rule gives is left as it is: timers written
 * before their start was recorded exactly started a little after the run's clock (delays differ
 * by whole days).
 */
const settleMs = 60 * 60 * 1000;
const delayMs: Record<DeprovisionDelay, number> = { next_sync: 0, '1d': dayMs, '7d': 7 * dayMs, '21d': 21 * dayMs };

export interface PlanInput {
  now: Date;
  configuration: PlanConfiguration;
  users: DirectoryUserView[];
  accounts: ReadonlyMap<string, ProvisionedAccount>;
  timers: ReadonlyMap<string, DeprovisionTimer>;
  /**
   * Whether the directory read returned nobody. A run planned a page at a time says it for the
   * whole directory; otherwise an empty `users` means it.
   */
  directoryEmpty?: boolean;
  /** M-6: every deprovisioning timer fires in this run, due or not (carried out before a configuration is deleted). */
  carryOutTimers?: boolean;
}

export interface Plan {
  operations: Operation[];
  /** Set when the plan deprovisions nobody because the directory read looks wrong (E-14). */
  deprovisioningWithheld: 'empty_directory' | null;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** One E-2 test of scope and whether the user passes it (E-20 shows each). */
export interface ScopeTest {
  rule: 'domain' | 'org_unit' | 'scope_group';
  passed: boolean;
  /** For `domain`: the user's domain; for `scope_group`: the scope groups the user is in. */
  userDomain?: string;
  matchedGroupIds?: string[];
}

/** E-2, test by test: primary domain, app ON for the org unit, and (if set) in a scope group. */
export function scopeTests(user: DirectoryUserView, configuration: PlanConfiguration): ScopeTest[] {
  const userDomain = domainOf(user.primaryEmail);
  const matchedGroupIds = configuration.scope.filter((g) => user.groupIds.has(g.groupId)).map((g) => g.groupId);
  return [
    { rule: 'domain', passed: userDomain === configuration.primaryDomain.toLowerCase(), userDomain },
    { rule: 'org_unit', passed: user.appOn },
    { rule: 'scope_group', passed: configuration.scope.length === 0 || matchedGroupIds.length > 0, matchedGroupIds },
  ];
}

/** E-2: in scope = every scope test passes. */
export function inScope(user: DirectoryUserView, configuration: PlanConfiguration): boolean {
  return scopeTests(user, configuration).every((t) => t.passed);
}

/** E-7: the highest access level among the user's scope groups. */
export function accessLevelOf(user: DirectoryUserView, configuration: PlanConfiguration): string {
  if (configuration.scope.length === 0) return configuration.defaultAccessLevel;
  const rank = (level: string) => configuration.accessLevels.indexOf(level);
  let best: string | null = null;
  for (const g of configuration.scope) {
    if (user.groupIds.has(g.groupId) && (best === null || rank(g.accessLevel) > rank(best))) best = g.accessLevel;
  }
  return best ?? configuration.defaultAccessLevel;
}

/** What the app should hold for this user, by app attribute (W-4 mapping + E-7). */
export function desiredAttributes(user: DirectoryUserView, configuration: PlanConfiguration): AppAttributes {
  const attributes: AppAttributes = {};
  for (const [appAttribute, directoryAttribute] of Object.entries(configuration.mapping)) {
    attributes[appAttribute] = user.attributes[directoryAttribute] ?? null;
  }
  attributes[ACCESS_LEVEL] = accessLevelOf(user, configuration);
  return attributes;
}

function changesBetween(lastSent: AppAttributes, desired: AppAttributes): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [key, after] of Object.entries(desired)) {
    const before = lastSent[key] ?? null;
    if (before !== after) changes[key] = { before, after };
  }
  return changes;
}

/** Why the user should lose access, or null if they should have an active account. */
function deprovisionTrigger(user: DirectoryUserView, configuration: PlanConfiguration): DeprovisionTrigger | null {
  if (user.status === 'deleted') return 'deleted';
  if (user.status === 'suspended') return 'suspended';
  return inScope(user, configuration) ? null : 'app_off';
}

/**
 * The pure heart of a run: directory snapshot + links + timers + configuration → operations.
 * Nothing here reads or writes anything; apply.ts carries the operations out.
 */
export function plan(input: PlanInput): Plan {
  const { now, configuration, users, accounts, timers } = input;
  const operations: Operation[] = [];
  // E-14: an empty read is far likelier a broken directory than an empty company.
  const withhold = input.directoryEmpty ?? users.length === 0;
  const seen = new Set<string>();

  const deprovision = (userId: string, trigger: DeprovisionTrigger, account: ProvisionedAccount | undefined) => {
    const timer = timers.get(userId);
    const rule = configuration.rules[trigger];
    if (!account) {
      if (timer) operations.push({ kind: 'cancel_timer', userId });
      return;
    }
    const alreadyDone = rule.action === 'suspend' && account.state === 'suspended';
    if (alreadyDone) {
      if (timer) operations.push({ kind: 'cancel_timer', userId });
      return;
    }
    let due: DeprovisionTimer;
    if (timer && timer.trigger === trigger) {
      // M-2: a changed delay or action moves a running timer; it still counts from the trigger.
      const dueAt = new Date(timer.startedAt.getTime() + delayMs[rule.delay]);
      if (timer.action === rule.action && Math.abs(dueAt.getTime() - timer.dueAt.getTime()) < settleMs) {
        due = timer;
      } else {
        due = { ...timer, action: rule.action, dueAt };
        operations.push({ kind: 'start_timer', userId, timer: due });
      }
    } else {
      due = { directoryUserId: userId, trigger, action: rule.action, startedAt: now, dueAt: new Date(now.getTime() + delayMs[rule.delay]) };
      operations.push({ kind: 'start_timer', userId, timer: due });
    }
    if ((due.dueAt.getTime() <= now.getTime() || input.carryOutTimers) && !withhold) {
      operations.push({ kind: due.action, userId, remoteId: account.remoteId, trigger, lastSent: account.lastSent });
    }
  };

  for (const user of users) {
    seen.add(user.id);
    // E-1: archived users are left alone entirely.
    if (user.status === 'archived') continue;
    const account = accounts.get(user.id);
    const trigger = deprovisionTrigger(user, configuration);
    if (trigger) {
      deprovision(user.id, trigger, account);
      continue;
    }
    const desired = desiredAttributes(user, configuration);
    if (!account) {
      operations.push({ kind: 'create', userId: user.id, userName: user.primaryEmail, attributes: desired });
      continue;
    }
    // E-6: back before the timer fired → cancel it; already suspended → unsuspend.
    if (timers.has(user.id)) operations.push({ kind: 'cancel_timer', userId: user.id });
    const changes = changesBetween(account.lastSent, desired);
    if (account.state === 'suspended') {
      operations.push({ kind: 'unsuspend', userId: user.id, remoteId: account.remoteId, attributes: desired, changes });
    } else if (Object.keys(changes).length > 0) {
      operations.push({ kind: 'update', userId: user.id, remoteId: account.remoteId, attributes: desired, changes });
    }
  }

  // An account whose user the directory no longer returns at all is treated as deleted.
  for (const [userId, account] of accounts) {
    if (!seen.has(userId)) deprovision(userId, 'deleted', account);
  }

  return { operations, deprovisioningWithheld: withhold && accounts.size > 0 ? 'empty_directory' : null };
}

export interface DeletionGuard {
  /** Share of the app's accounts above which a run is held (default 0.2). */
  maxShare: number;
  /** A run deprovisioning fewer accounts than this is never held (default 10). */
  minAccounts: number;
}

export const defaultDeletionGuard: DeletionGuard = { maxShare: 0.2, minAccounts: 10 };

/** E-14: what the deletion guard counts: the operations that suspend or delete an account. */
export function countDeprovisions(operations: readonly Operation[]): number {
  let n = 0;
  for (const op of operations) if (op.kind === 'suspend' || op.kind === 'delete') n++;
  return n;
}

/** E-14: would this plan (or these many deprovisionings, counted a page at a time) suspend or delete too many of the app's accounts? */
export function exceedsDeletionGuard(p: Plan | { deprovisions: number }, accountCount: number, guard: DeletionGuard = defaultDeletionGuard) {
  const deprovisions = 'operations' in p ? countDeprovisions(p.operations) : p.deprovisions;
  const held = deprovisions >= guard.minAccounts && deprovisions > guard.maxShare * accountCount;
  return { held, deprovisions, accountCount };
}
