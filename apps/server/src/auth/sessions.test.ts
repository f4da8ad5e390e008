import { describe, expect, it } from 'vitest';
import { ACTIVITY_HEADER } from '@autoprov/contract';
import { manualClock, testServer } from '../test/harness.js';

const minute = 60_000;

describe('idle sessions end (S-3)', () => {
  it('ends a session left alone longer than the idle timeout, even while the console keeps polling', async () => {
    const clock = manualClock();
    const server = await testServer({ clock, idleTimeoutMs: 30 * minute });
    const c = await server.signedIn('read_only');
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * minute);
      // Background polling: no activity header.
      expect((await c.get('/api/directory/users?pageSize=1')).status).toBe(200);
    }
    clock.advance(1 * minute);
    const res = await c.get('/api/directory/users?pageSize=1');
    expect(res.status).toBe(401);
    expect((await c.request('GET', '/api/session', undefined, { [ACTIVITY_HEADER]: '1' })).status).toBe(401);
  });

  it('counts the admin\'s own reads and writes as activity', async () => {
    const clock = manualClock();
    const server = await testServer({ clock, idleTimeoutMs: 30 * minute });
    const c = await server.signedIn('super_admin');
    clock.advance(20 * minute);
    expect((await c.request('GET', '/api/directory/users?pageSize=1', undefined, { [ACTIVITY_HEADER]: '1' })).status).toBe(200);
    clock.advance(20 * minute);
    expect((await c.post('/api/directory/groups', { email: 'idle-test@example.com', name: 'Idle test' })).status).toBe(201);
    clock.advance(29 * minute);
    expect((await c.get('/api/session')).status).toBe(200);
    clock.advance(2 * minute);
    expect((await c.get('/api/session')).status).toBe(401);
  });
});
