import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import {
  impactListCap,
  type AvailabilityInput,
  type DeletionImpact,
  type DeprovisioningInput,
  type DriftImpact,
  type DriftModeInput,
  type Impact,
  type ScopeInput,
} from '@autoprov/contract';
import { deprovisionTimers, orgUnits, provisionedAccounts, syncReportLines, syncRuns, type ConfigurationRow } from '@autoprov/db';
import { builtInDirectory } from '@autoprov/directory';
import { previewImpact, type ImpactEntry, type ImpactSide } from '@autoprov/engine';
import type { ServerDeps } from '../deps.js';

type Deps = Pick<ServerDeps, 'db' | 'clock'>;
type Person = { email: string; name: string | null };

/** Sorted by e-mail, at most `impactListCap` listed; `count` is the whole. */
function listOf<T extends Person>(items: T[]) {
  const users = [...items].sort((a, b) => a.email.localeCompare(b.email));
  return { count: users.length, users: users.slice(0, impactListCap) };
}

const iso = (d: Date) => d.toISOString();

/** M-6: what the dry run's planner says a change would do, as the console shows it. */
async function impactOf(deps: Deps, row: ConfigurationRow, propose: (current: ImpactSide) => ImpactSide): Promise<Impact> {
  const found = await previewImpact({ db: deps.db, clock: deps.clock, directory: builtInDirectory(deps.db) }, row.id, propose);
  const of = <K extends ImpactEntry['kind']>(kind: K) =>
    found.flatMap(({ entry, person }) => (entry.kind === kind ? [{ ...(entry as Extract<ImpactEntry, { kind: K }>), ...person }] : []));
  return {
    now: iso(deps.clock.now()),
    active: row.state === 'active',
    provisioned: listOf(of('provision').map((e) => ({ email: e.email, name: e.name, reactivated: e.reactivated }))),
    deprovisioned: listOf(of('deprovision').map((e) => ({ email: e.email, name: e.name, trigger: e.trigger, action: e.action, at: iso(e.at) }))),
    accessLevelChanged: listOf(of('access_level').map((e) => ({ email: e.email, name: e.name, from: e.from, to: e.to }))),
    timersMoved: listOf(of('timer_moved').map((e) => ({ email: e.email, name: e.name, action: e.action, from: iso(e.from), to: iso(e.to) }))),
    timersCancelled: listOf(of('timer_cancelled').map((e) => ({ email: e.email, name: e.name, dueAt: iso(e.dueAt) }))),
  };
}

/** M-1: the scope as proposed. */
export const scopeImpact = (deps: Deps, row: ConfigurationRow, input: ScopeInput) =>
  impactOf(deps, row, (current) => ({ ...current, configuration: { ...current.configuration, scope: input.groups.map((g) => ({ groupId: g.groupId, accessLevel: g.accessLevel })) } }));

/** M-2: the deprovisioning rules as proposed. */
export const deprovisioningImpact = (deps: Deps, row: ConfigurationRow, input: DeprovisioningInput) =>
  impactOf(deps, row, (current) => ({ ...current, configuration: { ...current.configuration, rules: input } }));

/** SPEC §1: the app ON, OFF or inherited for one org unit. An unknown unit changes nothing. */
export async function availabilityImpact(deps: Deps, row: ConfigurationRow, input: AvailabilityInput) {
  const unit = (await deps.db.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, input.orgUnitId)).limit(1))[0];
  return impactOf(deps, row, (current) => {
    const availability = new Map(current.availability);
    if (!unit) return current;
    if (input.setting === 'inherit') availability.delete(unit.path);
    else availability.set(unit.path, input.setting === 'on');
    return { ...current, availability };
  });
}

/** An app without a finished configuration: a change of availability touches no account. */
export const noImpact = (deps: Deps): Impact => ({
  now: iso(deps.clock.now()),
  active: false,
  provisioned: { count: 0, users: [] },
  deprovisioned: { count: 0, users: [] },
  accessLevelChanged: { count: 0, users: [] },
  timersMoved: { count: 0, users: [] },
  timersCancelled: { count: 0, users: [] },
});

/** M-4 and M-6: who is waiting for a deprovisioning delay (they keep their access once the configuration is gone). */
export async function deletionImpact(deps: Deps, row: ConfigurationRow): Promise<DeletionImpact> {
  const { db } = deps;
  const timers = await db
    .select({ userId: deprovisionTimers.directoryUserId, trigger: deprovisionTimers.trigger, action: deprovisionTimers.action, dueAt: deprovisionTimers.dueAt, userName: provisionedAccounts.userName })
    .from(deprovisionTimers)
    .leftJoin(provisionedAccounts, sql`${provisionedAccounts.configurationId} = ${deprovisionTimers.configurationId} and ${provisionedAccounts.directoryUserId} = ${deprovisionTimers.directoryUserId}`)
    .where(eq(deprovisionTimers.configurationId, row.id));
  const read = timers.length ? await builtInDirectory(db).readUsers(timers.map((t) => t.userId)) : { users: [] };
  const byId = new Map(read.users.map((u) => [u.id, u]));
  const count = async (table: typeof provisionedAccounts | typeof syncRuns, column: typeof provisionedAccounts.configurationId | typeof syncRuns.configurationId) =>
    (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table).where(eq(column, row.id)).limit(1))[0]?.n ?? 0;
  return {
    now: iso(deps.clock.now()),
    active: row.state === 'active',
    accounts: await count(provisionedAccounts, provisionedAccounts.configurationId),
    runs: await count(syncRuns, syncRuns.configurationId),
    pendingTimers: listOf(
      timers.map((t) => {
        const user = byId.get(t.userId);
        return { email: user?.primaryEmail ?? t.userName ?? t.userId, name: user?.attributes.fullName ?? null, trigger: t.trigger, action: t.action, at: iso(t.dueAt) };
      }),
    ),
  };
}

/**
 * M-6 for the drift setting (E-19): switching from "report only" to "correct" sets back, at the
 * next reconciliation, the accounts the last reconciliation found drifted (a live answer would
 * read the whole app). Any other switch changes no account.
 */
export async function driftImpact({ db }: Deps, row: ConfigurationRow, input: DriftModeInput): Promise<DriftImpact> {
  const last = (await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.configurationId, row.id), eq(syncRuns.trigger, 'reconcile'), eq(syncRuns.dryRun, false), isNotNull(syncRuns.endedAt)))
    .orderBy(desc(syncRuns.endedAt))
    .limit(1))[0];
  const seenAt = last?.endedAt ? iso(last.endedAt) : null;
  if (!last || input.mode !== 'correct' || row.driftMode === 'correct') return { seenAt, accounts: { count: 0, users: [] } };
  const lines = await db
    .select({ email: syncReportLines.userEmail, changes: syncReportLines.changes })
    .from(syncReportLines)
    .where(and(eq(syncReportLines.runId, last.id), eq(syncReportLines.action, 'drift_found')))
    .orderBy(syncReportLines.userEmail);
  return { seenAt, accounts: { count: lines.length, users: lines.slice(0, impactListCap).map((l) => ({ email: l.email, changes: l.changes ?? {} })) } };
}
