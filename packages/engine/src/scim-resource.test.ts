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
    const changes = {
      'name.givenName': { before: 'Ada', after: 'Renamed' },
      title: { before: 'Engineer', after: null },
      accessLevel: { before: 'admin', after: 'organizer' },
    };
    expect(toPatchOperations(changes, { 'name.givenName': 'Renamed', title: null, accessLevel: 'organizer' })).toEqual([
      { op: 'replace', path: 'name.givenName', value: 'Renamed' },
      { op: 'remove', path: 'title' },
      { op: 'replace', path: 'roles', value: [{ value: 'organizer', primary: true }] },
    ]);
  });

  describe('multi-valued entries (E-4, RFC 7644 §3.5.2.3: a replace through a filter matching nothing is noTarget)', () => {
    const email = 'emails[type eq "work"].value';
    const phone = 'phoneNumbers[type eq "work"].value';
    const attributes = { userName: 'ada@example.com', [email]: 'ada@example.com', [phone]: '+33 1 70 00 10 01' };

    it('replaces through the filter only when the account holds the entry before and after', () => {
      expect(toPatchOperations({ [phone]: { before: '+33 1 70 00 10 00', after: '+33 1 70 00 10 01' } }, attributes)).toEqual([
        { op: 'replace', path: phone, value: '+33 1 70 00 10 01' },
      ]);
    });

    it('adds the entry the account lacks, as a create sends it (primary when it is the only one)', () => {
      const ops = toPatchOperations({ [phone]: { before: null, after: '+33 1 70 00 10 01' }, 'name.givenName': { before: 'A', after: 'Ada' } }, { ...attributes, 'name.givenName': 'Ada' });
      expect(ops).toEqual([
        { op: 'add', path: 'phoneNumbers', value: [{ type: 'work', primary: true, value: '+33 1 70 00 10 01' }] },
        { op: 'replace', path: 'name.givenName', value: 'Ada' },
      ]);
      // The very entry a POST carries: the app holds the same after a create or an update.
      expect((ops[0]!.value as unknown[])[0]).toEqual((toScimUser(attributes).phoneNumbers as unknown[])[0]);
    });

    it('adds back a work e-mail removed by hand (drift: before is what the app holds)', () => {
      expect(toPatchOperations({ [email]: { before: null, after: 'ada@example.com' } }, attributes)).toEqual([
        { op: 'add', path: 'emails', value: [{ type: 'work', primary: true, value: 'ada@example.com' }] },
      ]);
    });

    it('removes the whole entry when it is emptied, not only its value', () => {
      expect(toPatchOperations({ [phone]: { before: '+33 1 70 00 10 01', after: null } }, { ...attributes, [phone]: null })).toEqual([
        { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
      ]);
    });

    it('treats an entry with several mapped sub-attributes as one: added once, kept while any is held', () => {
      const display = 'emails[type eq "work"].display';
      const all = { [email]: 'ada@example.com', [display]: 'Ada' };
      expect(toPatchOperations({ [email]: { before: null, after: 'ada@example.com' }, [display]: { before: null, after: 'Ada' } }, all)).toEqual([
        { op: 'add', path: 'emails', value: [{ type: 'work', primary: true, value: 'ada@example.com', display: 'Ada' }] },
      ]);
      expect(toPatchOperations({ [display]: { before: 'Ada', after: null } }, { ...all, [display]: null })).toEqual([{ op: 'remove', path: display }]);
    });
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
