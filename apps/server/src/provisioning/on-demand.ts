import { asc, eq, inArray } from 'drizzle-orm';
import { AppError, deprovisionReasons, type OnDemandPlan, type OnDemandRun, type ScopeCheck } from '@autoprov/contract';
import { directoryGroups, syncReportLines, type ConfigurationRow } from '@autoprov/db';
import { builtInDirectory } from '@autoprov/directory';
import { loadExchanges, planForUser, type Operation, type UserPlan } from '@autoprov/engine';
import type { ServerDeps } from '../deps.js';
import { runOf, runView } from './views.js';

type Deps = Pick<ServerDeps, 'db' | 'clock'>;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** E-20: each E-1/E-2 test the planner applies to the user, said in the admin's words. */
async function checksOf(deps: Deps, p: UserPlan): Promise<ScopeCheck[]> {
  const { user } = p;
  const status: ScopeCheck = {
    rule: 'status',
    passed: user.status === 'active',
    detail: {
      active: 'The user is active in the directory.',
      suspended: 'The user is suspended in the directory.',
      archived: 'The user is archived: autoprov leaves archived users alone (E-1).',
      deleted: 'The user was deleted from the directory.',
    }[user.status],
  };
  const groupIds = [...new Set([...p.scopeGroupIds])];
  const names = new Map(
    groupIds.length === 0 ? [] : (await deps.db.select({ id: directoryGroups.id, name: directoryGroups.name }).from(directoryGroups).where(inArray(directoryGroups.id, groupIds))).map((g) => [g.id, g.name]),
  );
  const words = p.scopeTests.map((t): ScopeCheck => {
    switch (t.rule) {
      case 'domain':
        return {
          rule: 'domain',
          passed: t.passed,
          detail: t.passed
            ? `${user.primaryEmail} is in the primary domain ${p.primaryDomain}.`
            : `${user.primaryEmail} is in ${t.userDomain}, not the primary domain ${p.primaryDomain}: only primary-domain users are provisioned (E-2).`,
        };
      case 'org_unit': {
        const where = p.availability.setAt === null ? 'nobody set it, so it is ON' : p.availability.setAt === user.orgUnitPath ? `set on ${user.orgUnitPath}` : `inherited from ${p.availability.setAt}`;
        return { rule: 'org_unit', passed: t.passed, detail: `The app is ${p.availability.on ? 'ON' : 'OFF'} for the org unit ${user.orgUnitPath} (${where}).` };
      }
      case 'scope_group': {
        if (p.scopeGroupIds.length === 0) return { rule: 'scope_group', passed: true, detail: 'No scope group is set: everyone the app is ON for is in scope.' };
        const matched = (t.matchedGroupIds ?? []).map((id) => names.get(id) ?? id);
        const all = p.scopeGroupIds.map((id) => names.get(id) ?? id).join(', ');
        return {
          rule: 'scope_group',
          passed: t.passed,
          detail: t.passed ? `The user is in the scope group${matched.length > 1 ? 's' : ''} ${matched.join(', ')}.` : `The user is in none of the scope groups (${all}).`,
        };
      }
    }
  });
  return [status, ...words];
}

const changed = (op: Extract<Operation, { changes: unknown }>) => (Object.keys(op.changes).length ? op.changes : null);

function actionsOf(p: UserPlan): OnDemandPlan['actions'] {
  const actions = p.operations.map((op): OnDemandPlan['actions'][number] => {
    switch (op.kind) {
      case 'create':
        return {
          action: 'create',
          changes: Object.fromEntries(Object.entries(op.attributes).map(([k, v]) => [k, { before: null, after: v }])),
          detail: `userName ${op.userName}; an account the app already has with this userName is adopted instead (E-3).`,
        };
      case 'update':
        return { action: 'update', changes: changed(op), detail: 'only what changed since autoprov last sent it (E-4).' };
      case 'unsuspend':
        return { action: 'unsuspend', changes: changed(op), detail: 'the suspended account becomes active again (E-6).' };
      case 'suspend':
        return { action: 'suspend', changes: null, detail: `${deprovisionReasons[op.trigger]}.` };
      case 'delete':
        return { action: 'delete', changes: null, detail: `${deprovisionReasons[op.trigger]}.` };
      case 'start_timer':
        return {
          action: 'start_timer',
          changes: null,
          detail: `${deprovisionReasons[op.timer.trigger]}: the account will be ${op.timer.action === 'delete' ? 'deleted' : 'suspended'} on ${day(op.timer.dueAt)} (the deprovisioning delay, M-2).`,
        };
      case 'cancel_timer':
        return { action: 'cancel_timer', changes: null, detail: 'the user no longer loses access.' };
    }
  });
  if (actions.length > 0) return actions;
  const why = p.user.status === 'archived'
    ? 'Archived users are left alone.'
    : p.account
      ? p.inScope
        ? 'The account already holds what the directory says.'
        : p.account.state === 'suspended'
          ? 'The account is already suspended.'
          : 'The account is already being deprovisioned.'
      : p.inScope
        ? 'Nothing to send.'
        : 'The user is not in scope and has no account in the app.';
  return [{ action: 'nothing', changes: null, detail: why }];
}

/** Why a run cannot be started now, or null. */
export function blockedBecause(row: ConfigurationRow): string | null {
  if (!row.setupCompletedAt) return 'Finish the setup before provisioning anyone.';
  if (row.state === 'needs_reauthorization') return 'Re-authorize autoprov first: the app no longer accepts its authorization.';
  if (row.state !== 'active') return 'Provisioning is not active: activate it first.';
  if (row.heldRunId) return 'A run is held by the deletion guard: allow or cancel it first.';
  return null;
}

/** E-20: the plan for one user, and why, as the console shows it. */
export async function userPlan(deps: Deps, row: ConfigurationRow, userId: string): Promise<OnDemandPlan> {
  const p = await planForUser({ db: deps.db, clock: deps.clock, directory: builtInDirectory(deps.db) }, row.id, userId);
  if (!p) throw new AppError('not_found', 'There is no such user in the directory.');
  const blocked = blockedBecause(row);
  return {
    user: {
      id: p.user.id,
      primaryEmail: p.user.primaryEmail,
      name: p.user.attributes.fullName ?? null,
      status: p.user.status,
      orgUnitPath: p.user.orgUnitPath,
    },
    inScope: p.inScope && p.user.status === 'active',
    checks: await checksOf(deps, p),
    account: p.account ? { userName: p.account.userName, remoteId: p.account.remoteId, state: p.account.state } : null,
    timer: p.timer ? { trigger: p.timer.trigger, action: p.timer.action, dueAt: p.timer.dueAt.toISOString() } : null,
    actions: actionsOf(p),
    canRun: blocked === null,
    blockedBecause: blocked,
  };
}

/** E-20: an on-demand run as it goes: its state, what it did, and every request and answer. */
export async function onDemandRun(deps: Deps, row: ConfigurationRow, runId: string): Promise<OnDemandRun> {
  const run = await runOf(deps.db, row.id, runId);
  if (run.trigger !== 'on_demand') throw new AppError('not_found', 'This run was not for one user on demand.');
  const { exchanges, truncated } = await loadExchanges(deps.db, run.id);
  const lines = await deps.db
    .select({ action: syncReportLines.action, result: syncReportLines.result, reason: syncReportLines.reason })
    .from(syncReportLines)
    .where(eq(syncReportLines.runId, run.id))
    .orderBy(asc(syncReportLines.id));
  return {
    run: runView(run),
    userId: run.subjectUserId,
    exchanges: exchanges.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      method: e.method,
      url: e.url,
      requestHeaders: e.requestHeaders,
      requestBody: e.requestBody,
      status: e.status,
      responseBody: e.responseBody,
      durationMs: e.durationMs,
      error: e.error,
    })),
    truncated,
    lines,
  };
}
