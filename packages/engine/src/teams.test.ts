import { describe, expect, it } from 'vitest';
import type { DirectoryUserView, ProvisionedAccount } from './model.js';
import { planTeams } from './teams.js';

const user = (id: string, groups: string[]): DirectoryUserView => ({
  id,
  primaryEmail: `${id}@example.com`,
  status: 'active',
  attributes: {},
  appOn: true,
  groupIds: new Set(groups),
});
const account = (id: string, state: 'active' | 'suspended' = 'active'): [string, ProvisionedAccount] => [
  id,
  { directoryUserId: id, remoteId: `r-${id}`, userName: `${id}@example.com`, state, lastSent: {} },
];

describe('planTeams (E-13)', () => {
  const mappings = [
    { groupId: 'sales', teamName: 'Revenue' },
    { groupId: 'marketing', teamName: 'Revenue' },
    { groupId: 'eng', teamName: 'Builders' },
  ];

  it('several directory groups fill one team; a new team is created even when empty', () => {
    const users = [user('a', ['sales']), user('b', ['marketing']), user('c', ['other'])];
    const changes = planTeams(mappings, users, new Map([account('a'), account('b'), account('c')]), new Map(), true);
    expect(changes).toEqual([
      { teamName: 'Revenue', add: ['r-a', 'r-b'], remove: [], members: ['r-a', 'r-b'] },
      { teamName: 'Builders', add: [], remove: [], members: [] },
    ]);
  });

  it('membership follows: out of the group or suspended → out of the team; nothing changed → nothing sent', () => {
    const last = new Map([
      ['Revenue', ['r-a', 'r-b']],
      ['Builders', ['r-c']],
    ]);
    const users = [user('a', []), user('b', ['marketing']), user('c', ['eng'])];
    const changes = planTeams(mappings, users, new Map([account('a'), account('b'), account('c', 'suspended')]), last, true);
    expect(changes).toEqual([
      { teamName: 'Revenue', add: [], remove: ['r-a'], members: ['r-b'] },
      { teamName: 'Builders', add: [], remove: ['r-c'], members: [] },
    ]);
  });

  it('a change-driven run decides only the users it read', () => {
    const last = new Map([['Revenue', ['r-a', 'r-b']], ['Builders', []]]);
    const changes = planTeams(mappings, [user('b', [])], new Map([account('b')]), last, false);
    expect(changes).toEqual([{ teamName: 'Revenue', add: [], remove: ['r-b'], members: ['r-a'] }]);
  });
});
