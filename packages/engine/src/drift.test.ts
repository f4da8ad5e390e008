import { describe, expect, it } from 'vitest';
import { detectDrift, type AppAccountSnapshot } from './drift.js';
import type { ProvisionedAccount } from './model.js';

// E-19, without I/O: links (what autoprov set) against what the app holds.

const sent = { userName: 'ada@example.com', 'name.givenName': 'Ada', 'name.familyName': 'Lovelace', title: null, accessLevel: 'organizer' };
const link = (over: Partial<ProvisionedAccount> = {}): ProvisionedAccount => ({
  directoryUserId: 'u1',
  remoteId: 'r1',
  userName: 'ada@example.com',
  state: 'active',
  lastSent: sent,
  ...over,
});
const account = (over: Partial<AppAccountSnapshot> = {}): AppAccountSnapshot => ({
  id: 'r1',
  userName: 'ada@example.com',
  externalId: null,
  active: true,
  attributes: { ...sent },
  ...over,
});

describe('detectDrift (E-19)', () => {
  it('an account that holds what autoprov set is no drift, whatever the case of its userName or an empty value', () => {
    const holds = account({ userName: 'Ada@Example.com', attributes: { ...sent, userName: 'Ada@Example.com', title: '' } });
    expect(detectDrift([link()], [holds])).toEqual({ drifts: [], notManaged: [] });
  });

  it('an attribute changed in the app is to be set back: before is what the app holds, after what autoprov set', () => {
    const { drifts } = detectDrift([link()], [account({ attributes: { ...sent, 'name.familyName': 'Byron', title: 'Countess' } })]);
    expect(drifts).toEqual([
      expect.objectContaining({
        relinked: false,
        active: null,
        changes: { 'name.familyName': { before: 'Byron', after: 'Lovelace' }, title: { before: 'Countess', after: null } },
      }),
    ]);
  });

  it('an account renamed in the app keeps its id: its userName is set back', () => {
    const { drifts, notManaged } = detectDrift([link()], [account({ userName: 'countess@example.com', attributes: { ...sent, userName: 'countess@example.com' } })]);
    expect(drifts[0]!.changes).toEqual({ userName: { before: 'countess@example.com', after: 'ada@example.com' } });
    expect(notManaged).toEqual([]);
  });

  it('an account re-activated in the app while the directory says suspended is to be suspended again', () => {
    const { drifts } = detectDrift([link({ state: 'suspended' })], [account({ active: true })]);
    expect(drifts).toEqual([expect.objectContaining({ active: { before: 'true', after: 'false' }, changes: {} })]);
  });

  it('an account suspended by hand while the directory says active is to be made active again', () => {
    const { drifts } = detectDrift([link()], [account({ active: false })]);
    expect(drifts[0]!.active).toEqual({ before: 'false', after: 'true' });
  });

  it('an account gone from the app is to be made again with everything autoprov set', () => {
    const { drifts } = detectDrift([link()], []);
    expect(drifts).toEqual([expect.objectContaining({ found: null, relinked: false })]);
    expect(drifts[0]!.changes['name.givenName']).toEqual({ before: null, after: 'Ada' });
  });

  it('a suspended account gone from the app is no drift: there is nothing left to suspend', () => {
    expect(detectDrift([link({ state: 'suspended' })], []).drifts).toEqual([]);
  });

  it('an account made again by hand under another id is relinked, by externalId first, then by userName', () => {
    const withExternal = link({ lastSent: { ...sent, externalId: 'u1' } });
    const byExternal = detectDrift([withExternal], [account({ id: 'r9', userName: 'other@example.com', externalId: 'u1', attributes: { ...sent, externalId: 'u1', userName: 'other@example.com' } })]);
    expect(byExternal.drifts[0]).toMatchObject({ relinked: true, found: { id: 'r9' }, changes: { userName: { before: 'other@example.com', after: 'ada@example.com' } } });

    const byName = detectDrift([link()], [account({ id: 'r7' })]);
    expect(byName.drifts[0]).toMatchObject({ relinked: true, found: { id: 'r7' }, changes: {} });
    expect(byName.notManaged).toEqual([]);
  });

  it('accounts no link reaches are not managed by autoprov, and an account held by one link is never relinked to another', () => {
    const other = account({ id: 'x1', userName: 'someone@example.com' });
    const ada = account();
    // u2's account is gone; its userName is ada's, whose account u1 holds by id.
    const second = link({ directoryUserId: 'u2', remoteId: 'gone', userName: 'ada@example.com' });
    const { drifts, notManaged } = detectDrift([link(), second], [ada, other]);
    expect(notManaged).toEqual([other]);
    expect(drifts).toEqual([expect.objectContaining({ link: second, found: null })]);
  });

  it('an attribute no account in the app holds is one the app does not keep: it is not drift', () => {
    const withPhone = { ...sent, 'phoneNumbers[type eq "work"].value': '+33 1 23 45 67 89' };
    const dropsPhones = account({ attributes: { ...sent, 'phoneNumbers[type eq "work"].value': null } });
    expect(detectDrift([link({ lastSent: withPhone })], [dropsPhones]).drifts).toEqual([]);
    // Another account holds one: the app keeps phones, and this one was cleared by hand.
    const other = account({ id: 'r2', userName: 'bob@example.com', attributes: { ...sent, userName: 'bob@example.com', 'phoneNumbers[type eq "work"].value': '+33 9' } });
    const second = link({ directoryUserId: 'u2', remoteId: 'r2', userName: 'bob@example.com', lastSent: { ...sent, userName: 'bob@example.com', 'phoneNumbers[type eq "work"].value': '+33 9' } });
    expect(detectDrift([link({ lastSent: withPhone }), second], [dropsPhones, other]).drifts).toEqual([
      expect.objectContaining({ changes: { 'phoneNumbers[type eq "work"].value': { before: null, after: '+33 1 23 45 67 89' } } }),
    ]);
  });
});
