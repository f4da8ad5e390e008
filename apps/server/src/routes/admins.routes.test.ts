import { describe, expect, it } from 'vitest';
import { testServer } from '../test/harness.js';

describe('admins (S-1)', () => {
  it('lets a super-admin add a read-only admin who can then sign in', async () => {
    const server = await testServer();
    const c = await server.signedIn('super_admin');
    const res = await c.post('/api/admins', { name: 'Rita', email: 'rita@example.com', role: 'read_only', password: 'a long enough password' });
    expect(res.status).toBe(201);
    expect(res.json).not.toHaveProperty('passwordHash');
    const rita = server.client();
    expect((await rita.signIn('rita@example.com', 'a long enough password')).json.admin.role).toBe('read_only');
    const dup = await c.post('/api/admins', { name: 'Rita', email: 'RITA@example.com', role: 'read_only', password: 'a long enough password' });
    expect(dup.status).toBe(409);
    expect(dup.json.error.fields.email).toBeDefined();
  });

  it('removes an admin and ends their sessions, but never yourself', async () => {
    const server = await testServer();
    const c = await server.signedIn('super_admin');
    const other = await server.signedIn('read_only');
    const list = (await c.get('/api/admins')).json.items as { id: string; role: string }[];
    const readOnly = list.find((a) => a.role === 'read_only')!;
    const me = (await c.get('/api/session')).json.admin;
    expect((await c.delete(`/api/admins/${me.id}`)).status).toBe(409);
    expect((await c.delete(`/api/admins/${readOnly.id}`)).status).toBe(204);
    expect((await other.get('/api/directory/users')).status).toBe(401);
  });
});
