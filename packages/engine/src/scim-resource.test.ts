import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA, fromScimUser, toPatchOperations, toScimUser } from './scim-resource.js';

describe('SCIM resources', () => {
  it('builds a User with nested, multi-valued and extension attributes and the role (E-7)', () => {
    const user = toScimUser({
      userName: 'zoe@example.com',
      'name.givenName': 'Zoé',
      'name.familyName': "O'Brien \"Q\"",
      'emails[type eq "work"].value': 'zoe@example.com',
      title: null,
      [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: 'E1001',
      accessLevel: 'admin',
    });
    expect(user).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
      active: true,
      userName: 'zoe@example.com',
      name: { givenName: 'Zoé', familyName: "O'Brien \"Q\"" },
      emails: [{ type: 'work', primary: true, value: 'zoe@example.com' }],
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: 'E1001' },
      roles: [{ value: 'admin', primary: true }],
    });
  });

  it('patches exactly what changed (E-4), removing what was emptied', () => {
    expect(toPatchOperations({ 'name.givenName': 'Renamed', title: null, accessLevel: 'organizer' })).toEqual([
      { op: 'replace', path: 'name.givenName', value: 'Renamed' },
      { op: 'remove', path: 'title' },
      { op: 'replace', path: 'roles', value: [{ value: 'organizer', primary: true }] },
    ]);
  });
});

describe('fromScimUser (E-19)', () => {
  it('reads back every attribute toScimUser writes, and null for what the account does not hold', () => {
    const attributes = {
      userName: 'ada@example.com',
      'name.givenName': 'Ada',
      'emails[type eq "work"].value': 'ada@example.com',
      'phoneNumbers[type eq "work"].value': null,
      [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Maths',
      accessLevel: 'admin',
    };
    expect(fromScimUser({ id: 'r1', ...toScimUser(attributes) }, Object.keys(attributes))).toEqual(attributes);
    expect(fromScimUser({ id: 'r1', roles: [{ value: 'organizer' }, { value: 'admin', primary: true }] }, ['accessLevel', 'title'])).toEqual({ accessLevel: 'admin', title: null });
  });
});
