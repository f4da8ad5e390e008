import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient } from './client.js';
import { ScimError } from './errors.js';
import { staticToken } from './tokens.js';
import { startScimmyServer } from './testing/scimmy-server.js';

// Interop with SCIMMY, a SCIM server nobody here wrote (issue 3).
let server: Awaited<ReturnType<typeof startScimmyServer>>;
let client: ScimClient;

beforeAll(async () => {
  server = await startScimmyServer({ token: 't1' });
  client = new ScimClient({ baseUrl: server.baseUrl, tokens: staticToken('t1', server.baseUrl), backoffMs: 5 });
});
afterAll(() => server.close());

const user = (userName: string, givenName = 'Zoé') => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  active: true,
  name: { givenName, familyName: "O'Brien" },
  emails: [{ type: 'work', value: userName, primary: true }],
});

describe('SCIM client against SCIMMY', () => {
  it('reads the service provider config', async () => {
    expect(await client.serviceProviderConfig()).toMatchObject({ patch: true, filter: true });
  });

  it('creates a user and finds it by userName, whatever the case', async () => {
    const created = await client.createUser(user('Alice+tag@Example.com'));
    expect(created.id).toMatch(/^user-/);
    // SCIMMY compares exactly; the client still matches without case when the server does.
    expect((await client.findUserByUserName('Alice+tag@Example.com'))?.id).toBe(created.id);
    expect(await client.findUserByUserName('nobody@example.com')).toBeNull();
    expect(await client.findUserByUserName('alice+tag@example.com')).toBeNull();
    expect((await client.findUserByUserName('alice+tag@example.com', { thorough: true }))?.id).toBe(created.id);
  });

  it('finds a userName with quotes and backslashes even where the filter parser cannot', async () => {
    const tricky = '"quote\\d"@example.com';
    const created = await client.createUser(user(tricky));
    expect((await client.findUserByUserName(tricky, { thorough: true }))?.id).toBe(created.id);
  });

  it('maps a duplicate to a conflict', async () => {
    await client.createUser(user('dup@example.com'));
    await expect(client.createUser(user('dup@example.com'))).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('patches exactly one attribute, suspends and unsuspends', async () => {
    const created = await client.createUser(user('bob@example.com', 'Bob'));
    await client.patchUser(created.id, [{ op: 'replace', path: 'name.givenName', value: 'Robert' }]);
    expect(server.users.get(created.id)).toMatchObject({ name: { givenName: 'Robert', familyName: "O'Brien" } });
    await client.patchUser(created.id, [{ op: 'replace', path: 'active', value: false }]);
    expect(server.users.get(created.id)?.active).toBe(false);
    await client.patchUser(created.id, [{ op: 'replace', path: 'active', value: true }]);
    expect(server.users.get(created.id)?.active).toBe(true);
  });

  it('replaces a user with PUT', async () => {
    const created = await client.createUser(user('put@example.com'));
    await client.replaceUser(created.id, { ...user('put@example.com', 'Putative') });
    expect(server.users.get(created.id)).toMatchObject({ name: { givenName: 'Putative' } });
  });

  it('deletes a user, and a second delete is not an error', async () => {
    const created = await client.createUser(user('gone@example.com'));
    await client.deleteUser(created.id);
    expect(server.users.has(created.id)).toBe(false);
    await client.deleteUser(created.id);
    await expect(client.getUser(created.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('lists every user across pages', async () => {
    const seen = [];
    for await (const u of client.listUsers(2)) seen.push(u.id);
    expect(new Set(seen).size).toBe(server.users.size);
  });

  it('creates a group and changes its members', async () => {
    const a = await client.createUser(user('member-a@example.com'));
    const b = await client.createUser(user('member-b@example.com'));
    const group = await client.createGroup('Meeting hosts', [a.id]);
    await client.patchGroupMembers(group.id, [b.id], [a.id]);
    const members = (server.groups.get(group.id)?.members as { value: string }[]).map((m) => m.value);
    expect(members).toEqual([b.id]);
    expect((await client.findGroupByDisplayName('Meeting hosts'))?.id).toBe(group.id);
  });

  it('reports a refused token as unauthorized once a refresh cannot cure it', async () => {
    const stale = new ScimClient({ baseUrl: server.baseUrl, tokens: staticToken('revoked', server.baseUrl), backoffMs: 5 });
    const err = await stale.findUserByUserName('x@example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScimError);
    expect((err as ScimError).kind).toBe('unauthorized');
  });
});
