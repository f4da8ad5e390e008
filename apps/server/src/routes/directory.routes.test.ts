import { describe, expect, it } from 'vitest';
import { testServer } from '../test/harness.js';

async function superAdmin() {
  const server = await testServer();
  return { server, c: await server.signedIn('super_admin') };
}

describe('directory API', () => {
  it('pages and searches users', async () => {
    const { c } = await superAdmin();
    const first = (await c.get('/api/directory/users?page=1&pageSize=25')).json;
    expect(first.items).toHaveLength(25);
    expect(first.total).toBeGreaterThanOrEqual(195);
    const second = (await c.get('/api/directory/users?page=2&pageSize=25')).json;
    expect(second.items[0].id).not.toBe(first.items[0].id);
    const found = (await c.get('/api/directory/users?q=Suspendu')).json;
    expect(found.items).toHaveLength(1);
    expect(found.items[0].status).toBe('suspended');
  });

  it('answers a bad query with the field at fault', async () => {
    const { c } = await superAdmin();
    const res = await c.get('/api/directory/users?pageSize=5000');
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.fields)).toEqual(['pageSize']);
  });

  it('adds a user, puts them in a group and records who did both', async () => {
    const { c } = await superAdmin();
    const ou = (await c.get('/api/directory/org-units')).json.items.find((o: { path: string }) => o.path === '/Sales');
    const created = await c.post('/api/directory/users', {
      primaryEmail: 'zoe.nouvelle@example.com',
      givenName: 'Zoé',
      familyName: 'Nouvelle',
      orgUnitId: ou.id,
      jobTitle: '',
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ orgUnitPath: '/Sales', status: 'active', jobTitle: null });
    const sales = (await c.get('/api/directory/groups?q=sales@')).json.items[0];
    const added = await c.post(`/api/directory/groups/${sales.id}/members`, { kind: 'user', userId: created.json.id });
    expect(added.status).toBe(201);
    expect((await c.get(`/api/directory/users/${created.json.id}`)).json.groups.map((g: { email: string }) => g.email)).toContain(
      'sales@example.com',
    );
    const changes = (await c.get('/api/directory/changes?pageSize=2')).json.items;
    expect(changes.map((ch: { summary: string }) => ch.summary)).toEqual([
      'Added zoe.nouvelle@example.com to sales@example.com',
      'Created user zoe.nouvelle@example.com',
    ]);
  });

  it('shows the server-side reasons next to the fields', async () => {
    const { c } = await superAdmin();
    const ou = (await c.get('/api/directory/org-units')).json.items[0];
    const outside = await c.post('/api/directory/users', { primaryEmail: 'x@gmail.test', givenName: 'X', familyName: 'Y', orgUnitId: ou.id });
    expect(outside.status).toBe(400);
    expect(outside.json.error.fields.primaryEmail).toMatch(/example\.com/);
    const missing = await c.post('/api/directory/users', { primaryEmail: 'not-an-email', givenName: '', orgUnitId: ou.id });
    expect(missing.status).toBe(400);
    expect(missing.json.error.fields).toMatchObject({
      primaryEmail: 'Enter a valid e-mail address',
      givenName: 'Enter the first name',
      familyName: expect.any(String),
    });
    // S-6: a name that hides or reorders characters is refused, on the field, and nothing is stored.
    const hidden = await c.post('/api/directory/users', { primaryEmail: 'eve@example.com', givenName: 'Eve\u0000', familyName: 'gpj.exe\u202e', orgUnitId: ou.id });
    expect(hidden.status).toBe(400);
    expect(hidden.json.error.fields).toEqual({ givenName: expect.stringMatching(/control character/), familyName: expect.stringMatching(/text-direction/) });
    expect((await c.get('/api/directory/users?q=eve@example.com')).json.total).toBe(0);
    const malformed = await c.request('POST', '/api/directory/users', '{"primaryEmail":');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('validation_failed');
  });

  it('suspends, restores, archives and deletes a user', async () => {
    const { c } = await superAdmin();
    const user = (await c.get('/api/directory/users?status=active&pageSize=1')).json.items[0];
    expect((await c.post(`/api/directory/users/${user.id}/suspend`)).json.status).toBe('suspended');
    expect((await c.post(`/api/directory/users/${user.id}/suspend`)).status).toBe(409);
    expect((await c.post(`/api/directory/users/${user.id}/restore`)).json.status).toBe('active');
    expect((await c.post(`/api/directory/users/${user.id}/archive`)).json.status).toBe('archived');
    expect((await c.delete(`/api/directory/users/${user.id}`)).status).toBe(204);
    expect((await c.get(`/api/directory/users/${user.id}`)).json.status).toBe('deleted');
    expect((await c.get('/api/directory/users?status=deleted')).json.items.map((u: { id: string }) => u.id)).toEqual([user.id]);
  });

  it('answers 404 for an unknown user and an unknown route', async () => {
    const { c } = await superAdmin();
    expect((await c.get('/api/directory/users/nope')).json.error.code).toBe('not_found');
    expect((await c.get('/api/nothing-here')).status).toBe(404);
  });
});
