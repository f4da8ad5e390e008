import type { DirectoryUserView, ProvisionedAccount } from './model.js';

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
