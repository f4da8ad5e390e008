import type { ApplyContext } from './apply.js';
import type { DirectoryUserView, ProvisionedAccount } from './model.js';
import { AppCallError } from './ports.js';
import { loadAccounts, loadProvisionedTeams, loadTeamMappings, saveProvisionedTeam, writeReportLine } from './store.js';

export interface TeamMapping {
  groupId: string;
  teamName: string;
}

export interface TeamChange {
  teamName: string;
  add: string[];
  remove: string[];
  /** The members the team should have afterwards (remote ids). */
  members: string[];
}

/**
 * E-13, pure: which accounts each team should gain and lose. A team's members are the active
 * accounts of users in any directory group mapped to it (nested groups count). Only the users
 * in `users` are decided here: the others keep what the team had (a change-driven run).
 */
export function planTeams(
  mappings: TeamMapping[],
  users: DirectoryUserView[],
  accounts: ReadonlyMap<string, ProvisionedAccount>,
  lastMembers: ReadonlyMap<string, readonly string[]>,
  everyone: boolean,
): TeamChange[] {
  const teams = new Map<string, string[]>();
  for (const m of mappings) teams.set(m.teamName, [...(teams.get(m.teamName) ?? []), m.groupId]);
  const decided = new Set<string>();
  for (const u of users) {
    const a = accounts.get(u.id);
    if (a) decided.add(a.remoteId);
  }
  const changes: TeamChange[] = [];
  for (const [teamName, groupIds] of teams) {
    const before = new Set(lastMembers.get(teamName) ?? []);
    const after = new Set<string>(everyone ? [] : [...before].filter((id) => !decided.has(id)));
    for (const u of users) {
      const a = accounts.get(u.id);
      if (a && a.state === 'active' && groupIds.some((g) => u.groupIds.has(g))) after.add(a.remoteId);
    }
    const add = [...after].filter((id) => !before.has(id));
    const remove = [...before].filter((id) => !after.has(id));
    if (add.length > 0 || remove.length > 0 || !lastMembers.has(teamName)) changes.push({ teamName, add, remove, members: [...after] });
  }
  return changes;
}

/**
 * E-13: after the accounts, the app's teams follow the mapped directory groups. `users` are the
 * users the run read; `only` says the run read some users only (the others keep their teams).
 */
export async function syncTeams(ctx: ApplyContext, users: DirectoryUserView[], only: string[] | undefined, count: (key: string) => void) {
  const { db, clock } = ctx.deps;
  const mappings = await loadTeamMappings(db, ctx.configurationId);
  if (mappings.length === 0) return;
  const known = await loadProvisionedTeams(db, ctx.configurationId);
  const accounts = await loadAccounts(db, ctx.configurationId, only);
  const changes = planTeams(mappings, users, accounts, new Map([...known].map(([name, t]) => [name, t.members])), !only);
  for (const change of changes) {
    try {
      let remoteId = known.get(change.teamName)?.remoteId ?? (await ctx.app.ensureGroup(change.teamName));
      try {
        await ctx.app.changeGroupMembers(remoteId, change.add, change.remove);
      } catch (err) {
        // The team was removed in the app: make it again with every member it should have.
        if (!(err instanceof AppCallError && err.kind === 'not_found')) throw err;
        remoteId = await ctx.app.ensureGroup(change.teamName);
        await ctx.app.changeGroupMembers(remoteId, change.members, []);
      }
      await saveProvisionedTeam(db, { configurationId: ctx.configurationId, teamName: change.teamName, remoteId, members: change.members, updatedAt: clock.now() });
      await writeReportLine(db, ctx.runId, {
        directoryUserId: '',
        userEmail: `team ${change.teamName}`,
        action: 'team',
        result: 'succeeded',
        changes: { members: { before: String(change.members.length - change.add.length + change.remove.length), after: String(change.members.length) } },
      });
      count('teams_updated');
    } catch (err) {
      if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
      const reason = err instanceof AppCallError ? err.reason : (err as Error).message;
      await writeReportLine(db, ctx.runId, { directoryUserId: '', userEmail: `team ${change.teamName}`, action: 'team', result: 'failed', reason });
      count('failed');
    }
  }
}
